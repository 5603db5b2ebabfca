package epollecho

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/sockbook/sockbook/pkg/eventloop"
	"github.com/sockbook/sockbook/tutorials/exercises/internal/background"
	"golang.org/x/sys/unix"
)

func start(t *testing.T) (addr string, stop func() error) {
	t.Helper()
	ln, bound, err := eventloop.ListenTCP("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(ln) })
	returned := make(chan error, 1)
	stop = background.Serve(t, "Serve", func(ctx context.Context) error {
		err := Serve(ctx, ln)
		returned <- err
		return err
	})
	// Serve must be running before the test counts on it.
	select {
	case err := <-returned:
		t.Fatalf("Serve returned at once: %v", err)
	case <-time.After(20 * time.Millisecond):
	}
	return bound.String(), stop
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(10 * time.Second))
	return c
}

func TestManyClients(t *testing.T) {
	addr, _ := start(t)
	before := runtime.NumGoroutine()
	var conns []net.Conn
	for range 30 {
		conns = append(conns, dial(t, addr))
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(conns))
	for i, c := range conns {
		wg.Go(func() {
			for j := range 5 {
				msg := fmt.Sprintf("client %d message %d", i, j)
				if _, err := io.WriteString(c, msg); err != nil {
					errs <- err
					return
				}
				got := make([]byte, len(msg))
				if _, err := io.ReadFull(c, got); err != nil || string(got) != msg {
					errs <- fmt.Errorf("client %d: echo %q, %v; want %q", i, got, err, msg)
					return
				}
			}
		})
	}
	// While 30 clients are connected, the server must not have grown a
	// goroutine per client.
	if extra := runtime.NumGoroutine() - before - len(conns); extra > 3 {
		t.Errorf("%d more goroutines while 30 clients are served; the loop must serve them all from one", extra)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestPartialWrites(t *testing.T) {
	addr, _ := start(t)
	c := dial(t, addr)
	// Sending 16 MiB before reading anything fills both directions' buffers:
	// the server's writes can only be partial.
	data := make([]byte, 16<<20)
	for i := range data {
		data[i] = byte(rand.IntN(256))
	}
	go func() {
		c.Write(data)
		c.(*net.TCPConn).CloseWrite()
	}()
	time.Sleep(100 * time.Millisecond)
	got, err := io.ReadAll(c)
	if err != nil {
		t.Fatalf("reading the echo after %d bytes: %v", len(got), err)
	}
	if !bytes.Equal(got, data) {
		t.Fatalf("echo of %d bytes came back as %d bytes (or different bytes); keep what write did not take and send it when EPOLLOUT says so", len(data), len(got))
	}
}

func TestOneClientGoneOthersServed(t *testing.T) {
	addr, _ := start(t)
	gone := dial(t, addr)
	gone.(*net.TCPConn).SetLinger(0) // close with a reset
	gone.Write([]byte("bye"))
	gone.Close()
	time.Sleep(20 * time.Millisecond)

	c := dial(t, addr)
	io.WriteString(c, "still there?")
	got := make([]byte, len("still there?"))
	if _, err := io.ReadFull(c, got); err != nil {
		t.Fatalf("after another client reset its connection, the server no longer echoes: %v", err)
	}
}

func TestShutdownClosesClients(t *testing.T) {
	addr, stop := start(t)
	c := dial(t, addr)
	io.WriteString(c, "ping")
	io.ReadFull(c, make([]byte, 4))
	stop()
	if _, err := c.Read(make([]byte, 1)); !closedByPeer(err) {
		t.Fatalf("after shutdown the client's connection is still open (read: %v); Serve must close every client", err)
	}
}

// closedByPeer reports whether err from a read means the other side closed
// the connection, as opposed to the read timing out while it stayed open.
func closedByPeer(err error) bool {
	var ne net.Error
	return err != nil && !(errors.As(err, &ne) && ne.Timeout())
}
