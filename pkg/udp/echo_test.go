package udp_test

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/pkg/udp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// startEcho serves pc in the background and returns a function that stops
// the server and returns Serve's result.
func startEcho(t *testing.T, s *udp.EchoServer, pc net.PacketConn) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, pc) }()
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case err = <-done:
			case <-time.After(10 * time.Second):
				err = errors.New("Serve did not return within 10 s of cancel")
			}
		})
		return err
	}
	t.Cleanup(func() { _ = stop() })
	return stop
}

// listenLoopback opens a UDP socket on a free loopback port, closed when t
// ends unless a server closed it first.
func listenLoopback(t testing.TB) net.PacketConn {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { pc.Close() })
	return pc
}

// dial connects a client to pc, closed when t ends.
func dial(t testing.TB, pc net.PacketConn) net.Conn {
	t.Helper()
	c, err := net.Dial("udp", pc.LocalAddr().String())
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

// exchange sends payload from c and waits for a reply, resending after a
// silence: UDP may drop a datagram, and a client that never retries would
// make the test measure the kernel's buffers rather than the server.
func exchange(c net.Conn, payload []byte) ([]byte, error) {
	buf := make([]byte, udp.BufferSize)
	for attempt := 0; attempt < 10; attempt++ {
		if _, err := c.Write(payload); err != nil {
			return nil, err
		}
		if err := c.SetReadDeadline(time.Now().Add(time.Second)); err != nil {
			return nil, err
		}
		n, err := c.Read(buf)
		if isTimeout(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		return buf[:n], nil
	}
	return nil, errors.New("no reply after 10 attempts")
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func TestEchoLargeDatagrams(t *testing.T) {
	testenv.CheckFDs(t)
	pc := listenLoopback(t)
	stop := startEcho(t, &udp.EchoServer{}, pc)

	c := dial(t, pc)
	// 60 KiB, and the largest payload IPv4 allows.
	for _, size := range []int{1, 60 << 10, 65507} {
		payload := make([]byte, size)
		_, _ = rand.Read(payload)
		got, err := exchange(c, payload)
		require.NoError(t, err, "size %d", size)
		assert.Equal(t, len(payload), len(got), "size %d", size)
		assert.True(t, string(payload) == string(got), "size %d: echo differs from what was sent", size)
	}
	require.NoError(t, stop())
}

func TestEchoManyConcurrentClients(t *testing.T) {
	testenv.CheckFDs(t)
	pc := listenLoopback(t)
	stop := startEcho(t, &udp.EchoServer{}, pc)

	const clients = 200
	var wg sync.WaitGroup
	errs := make([]error, clients)
	for i := range clients {
		wg.Go(func() {
			c, err := net.Dial("udp", pc.LocalAddr().String())
			if err != nil {
				errs[i] = err
				return
			}
			defer c.Close()
			want := fmt.Sprintf("client %03d says %x", i, i*7919)
			got, err := exchange(c, []byte(want))
			switch {
			case err != nil:
				errs[i] = err
			case string(got) != want:
				errs[i] = fmt.Errorf("got %q, want %q", got, want)
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		assert.NoError(t, err, "client %d", i)
	}
	require.NoError(t, stop())
}

func TestEchoShutdownClosesTheSocket(t *testing.T) {
	testenv.CheckFDs(t)
	pc := listenLoopback(t)
	stop := startEcho(t, &udp.EchoServer{}, pc)

	c := dial(t, pc)
	got, err := exchange(c, []byte("ping"))
	require.NoError(t, err)
	require.Equal(t, "ping", string(got))

	require.NoError(t, stop(), "Serve returns nil when its context ends")
	_, err = pc.WriteTo([]byte("x"), c.LocalAddr())
	assert.ErrorIs(t, err, net.ErrClosed, "Serve closes the socket it was given")
}

func TestEchoAlreadyCancelled(t *testing.T) {
	pc := listenLoopback(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.NoError(t, (&udp.EchoServer{}).Serve(ctx, pc))
}

func TestEchoNilConn(t *testing.T) {
	err := (&udp.EchoServer{}).Serve(context.Background(), nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "nil PacketConn")
}

func BenchmarkEchoRoundTrip(b *testing.B) {
	pc := listenLoopback(b)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- (&udp.EchoServer{}).Serve(ctx, pc) }()
	defer func() { cancel(); <-done }()

	c := dial(b, pc)
	msg := []byte("Hello World\n")
	buf := make([]byte, 1024)
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		if _, err := c.Write(msg); err != nil {
			b.Fatal(err)
		}
		if _, err := c.Read(buf); err != nil {
			b.Fatal(err)
		}
	}
}
