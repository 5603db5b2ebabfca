package tlsstates

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sockbook/sockbook/pkg/tlsecho"
	"github.com/sockbook/sockbook/tutorials/exercises/internal/background"
	"golang.org/x/sys/unix"
)

// A behaviour is what the test's server does with one connection.
type behaviour func(t *testing.T, c net.Conn, cfg *tls.Config)

// serve listens on loopback and runs b on the one connection it accepts.
// It returns the address and a client configuration that trusts it.
func serve(t *testing.T, b behaviour) (string, *tls.Config) {
	t.Helper()
	cert, err := tlsecho.NewSelfSigned(tlsecho.ECDSAP256, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	pool, err := tlsecho.CertPool(cert)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		b(t, c, &tls.Config{Certificates: []tls.Certificate{cert}})
	}()
	t.Cleanup(func() { ln.Close(); <-done })
	return ln.Addr().String(), &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}
}

// slowEcho waits before its handshake, so the client must wait to read.
func slowEcho(t *testing.T, c net.Conn, cfg *tls.Config) {
	time.Sleep(100 * time.Millisecond)
	tc := tls.Server(c, cfg)
	if err := tc.Handshake(); err != nil {
		return
	}
	io.Copy(tc, tc)
}

// dial connects a non-blocking socket to addr, as the cheat sheet does
// with setblocking(False) and connect_ex.
func dial(t *testing.T, addr string) int {
	t.Helper()
	ap, err := net.ResolveTCPAddr("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	err = unix.Connect(fd, &unix.SockaddrInet4{Addr: [4]byte(ap.IP.To4()), Port: ap.Port})
	if err == unix.EINPROGRESS {
		unix.Poll([]unix.PollFd{{Fd: int32(fd), Events: unix.POLLOUT}}, 2000)
		var soerr int
		if soerr, err = unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ERROR); err == nil && soerr != 0 {
			err = unix.Errno(soerr)
		}
	}
	if err != nil {
		unix.Close(fd)
		t.Fatalf("connect %s: %v", addr, err)
	}
	return fd
}

// client wraps a fresh non-blocking connection to addr in a Conn.
func client(t *testing.T, addr string) (*Conn, int) {
	t.Helper()
	fd := dial(t, addr)
	c, err := NewConn(fd)
	if err != nil {
		unix.Close(fd)
		t.Fatalf("NewConn(connected non-blocking socket): %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c, fd
}

// handshake runs the client side of a TLS handshake over c, bounded so
// that a Conn that never returns fails the test instead of hanging it.
func handshake(t *testing.T, c *Conn, cfg *tls.Config) (*tls.Conn, error) {
	t.Helper()
	tc := tls.Client(c, cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return tc, tc.HandshakeContext(ctx)
}

// TestNewConnChecks: task 1, NewConn takes only a connected non-blocking socket.
func TestNewConnChecks(t *testing.T) {
	addr, _ := serve(t, func(*testing.T, net.Conn, *tls.Config) {})
	fd := dial(t, addr)
	defer unix.Close(fd)
	unix.SetNonblock(fd, false)
	if c, err := NewConn(fd); err == nil || !strings.Contains(err.Error(), "blocking") {
		t.Errorf("NewConn(a blocking socket) = %v, %v; want an error saying the socket is blocking (a blocking read would never report want-read)", c, err)
	}
	lone, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(lone)
	if c, err := NewConn(lone); err == nil {
		t.Errorf("NewConn(an unconnected socket) = %v, nil; want an error (it has no peer to talk TLS to)", c)
	}
}

// TestHandshakeWantsRead: task 2, a handshake over a non-blocking socket
// meets want-read while the server is slow, and still completes.
func TestHandshakeWantsRead(t *testing.T) {
	addr, cfg := serve(t, slowEcho)
	c, fd := client(t, addr)
	tc, err := handshake(t, c, cfg)
	if err != nil {
		t.Fatalf("handshake over your Conn: %v", err)
	}
	st := c.States()
	if len(st) == 0 || st[0] != WantRead {
		t.Errorf("states during the handshake = %v; the server waits 100ms before answering the ClientHello, so the first state must be want-read", st)
	}
	if _, err := tc.Write([]byte("hello over TLS")); err != nil {
		t.Fatalf("write after the handshake: %v", err)
	}
	got := make([]byte, len("hello over TLS"))
	if _, err := io.ReadFull(tc, got); err != nil || string(got) != "hello over TLS" {
		t.Fatalf("echo = %q, %v; want %q", got, err, "hello over TLS")
	}
	if fl, err := unix.FcntlInt(uintptr(fd), unix.F_GETFL, 0); err != nil || fl&unix.O_NONBLOCK == 0 {
		t.Errorf("after the handshake the socket is blocking (flags %#x, %v): the Conn must wait with poll, not by clearing O_NONBLOCK", fl, err)
	}
}

// TestWriteWantsWrite: task 2, a large write to a peer that is not reading
// meets want-write, and every byte still arrives.
func TestWriteWantsWrite(t *testing.T) {
	const size = 8 << 20
	received := make(chan int64, 1)
	addr, cfg := serve(t, func(t *testing.T, c net.Conn, cfg *tls.Config) {
		tc := tls.Server(c, cfg)
		if err := tc.Handshake(); err != nil {
			received <- -1
			return
		}
		time.Sleep(300 * time.Millisecond) // the client's send buffer fills
		n, _ := io.CopyN(io.Discard, tc, size)
		received <- n
	})
	c, _ := client(t, addr)
	tc, err := handshake(t, c, cfg)
	if err != nil {
		t.Fatalf("handshake over your Conn: %v", err)
	}
	if n, err := tc.Write(make([]byte, size)); err != nil || n != size {
		t.Fatalf("writing 8 MiB: %d, %v", n, err)
	}
	if n := <-received; n != size {
		t.Fatalf("the server received %d of 8 MiB: a partial write was lost (write returns how much it took; keep the rest)", n)
	}
	if !slices.Contains(c.States(), WantWrite) {
		t.Errorf("states = %v; an 8 MiB write to a peer that reads nothing for 300ms must meet want-write", c.States())
	}
}

// TestPeerHangsUp: task 3, a server that closes mid-handshake, or speaks
// something other than TLS, ends the handshake with an error, never a hang.
func TestPeerHangsUp(t *testing.T) {
	for name, b := range map[string]behaviour{
		"closes after the ClientHello": func(t *testing.T, c net.Conn, _ *tls.Config) {
			c.Read(make([]byte, 1024))
		},
		"answers in HTTP": func(t *testing.T, c net.Conn, _ *tls.Config) {
			c.Read(make([]byte, 1024))
			c.Write([]byte("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"))
		},
	} {
		t.Run(name, func(t *testing.T) {
			addr, cfg := serve(t, b)
			c, _ := client(t, addr)
			start := time.Now()
			_, err := handshake(t, c, cfg)
			if err == nil {
				t.Fatal("the handshake succeeded against a server that does not speak TLS")
			}
			if errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 4*time.Second {
				t.Fatalf("the handshake ran into the test's 5s limit (%v): does Read return io.EOF when read(2) returns 0, and Write fail when the peer is gone?", err)
			}
		})
	}
}

// TestReadDeadline: task 4, a read deadline ends a want-read wait with
// os.ErrDeadlineExceeded.
func TestReadDeadline(t *testing.T) {
	addr, cfg := serve(t, slowEcho)
	c, _ := client(t, addr)
	tc, err := handshake(t, c, cfg)
	if err != nil {
		t.Fatalf("handshake over your Conn: %v", err)
	}
	tc.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	start := time.Now()
	_, err = tc.Read(make([]byte, 10))
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("Read with nothing to read and a 100ms deadline: %v, want an error wrapping os.ErrDeadlineExceeded", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("the 100ms read deadline took %v to fire: poll with a timeout no later than the deadline", d)
	}
}

// TestCloseWakesRead: task 4, Close ends a Read that is waiting.
func TestCloseWakesRead(t *testing.T) {
	addr, cfg := serve(t, slowEcho)
	c, _ := client(t, addr)
	tc, err := handshake(t, c, cfg)
	if err != nil {
		t.Fatalf("handshake over your Conn: %v", err)
	}
	time.AfterFunc(100*time.Millisecond, func() { c.Close() })
	err = background.Wait(t, 1100*time.Millisecond, "a Read waiting for data did not return within 1s of Close", func() error {
		_, err := tc.Read(make([]byte, 10))
		return err
	})
	if err == nil {
		t.Error("a Read waiting when the Conn closed returned no error")
	}
	if _, err := c.Write([]byte("x")); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Write after Close: %v, want an error wrapping net.ErrClosed", err)
	}
	if ra := c.RemoteAddr(); ra == nil || !strings.Contains(ra.String(), "127.0.0.1") {
		t.Errorf("RemoteAddr = %v, want the server's loopback address", c.RemoteAddr())
	}
}

// TestReadEOF: task 3, directly: once the peer has closed, Read returns
// 0, io.EOF. (crypto/tls gives up on a Conn returning 0, nil after a
// hundred tries with io.ErrNoProgress, which hides the bug above.)
func TestReadEOF(t *testing.T) {
	addr, _ := serve(t, func(*testing.T, net.Conn, *tls.Config) {})
	c, _ := client(t, addr)
	c.SetReadDeadline(time.Now().Add(2 * time.Second))
	n, err := c.Read(make([]byte, 10))
	if n != 0 || err != io.EOF {
		t.Fatalf("Read after the peer closed = %d, %v; want 0, io.EOF (a read(2) of 0 bytes is end of file)", n, err)
	}
}
