// Package echotest is the reliability suite every stream echo server in
// sockbook must pass: large messages, many clients, resets, half-close,
// idle timeouts, shutdown without losing echoes, and no leaked descriptors.
// Each server package runs it against its own listener and client.
package echotest

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/pkg/echo"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// A Target is an echo server under test.
type Target struct {
	// Start starts a server that echoes until ctx ends, closing idle
	// connections after idle (0: never). It returns the address to dial
	// and a function that waits for the server to stop and returns its
	// error.
	Start func(ctx context.Context, idle time.Duration) (addr net.Addr, wait func() error, err error)

	// Dial connects a client to addr. The connection must support
	// CloseWrite.
	Dial func(ctx context.Context, addr net.Addr) (net.Conn, error)

	// Clients is the number of concurrent clients; 0 means 200.
	Clients int
}

// Run runs the whole suite against tg as subtests of t.
func Run(t *testing.T, tg Target) {
	testenv.CheckFDs(t)
	t.Run("LargeMessage", func(t *testing.T) { largeMessage(t, tg) })
	t.Run("ConcurrentClients", func(t *testing.T) { concurrentClients(t, tg) })
	t.Run("ResetMidMessage", func(t *testing.T) { resetMidMessage(t, tg) })
	t.Run("HalfClose", func(t *testing.T) { halfClose(t, tg) })
	t.Run("IdleTimeout", func(t *testing.T) { idleTimeout(t, tg) })
	t.Run("ShutdownEchoesReceivedData", func(t *testing.T) { shutdownEchoes(t, tg) })
	t.Run("ShutdownWithStuckClient", func(t *testing.T) { shutdownStuckClient(t, tg) })
}

// start runs a server for the length of one subtest and checks that it
// stops cleanly.
func start(t *testing.T, tg Target, idle time.Duration) (net.Addr, context.CancelFunc) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addr, wait, err := tg.Start(ctx, idle)
	require.NoError(t, err)
	t.Cleanup(func() {
		cancel()
		assert.NoError(t, waitWithin(t, wait, 20*time.Second), "server returned an error")
	})
	return addr, cancel
}

func waitWithin(t *testing.T, wait func() error, d time.Duration) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		t.Fatalf("server did not stop within %v of its context ending", d)
		return nil
	}
}

func dial(t *testing.T, tg Target, addr net.Addr) net.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := tg.Dial(ctx, addr)
	require.NoError(t, err)
	c.SetDeadline(time.Now().Add(30 * time.Second))
	return c
}

func random(t *testing.T, n int) []byte {
	b := make([]byte, n)
	_, err := rand.Read(b)
	require.NoError(t, err)
	return b
}

func largeMessage(t *testing.T, tg Target) {
	addr, _ := start(t, tg, 0)
	c := dial(t, tg, addr)
	defer c.Close()
	msg := random(t, 1<<20)
	got, err := echo.Exchange(c, msg)
	require.NoError(t, err)
	require.Equal(t, len(msg), len(got), "echoed length")
	require.True(t, bytes.Equal(msg, got), "1 MiB echoed with different content")
}

func concurrentClients(t *testing.T, tg Target) {
	addr, _ := start(t, tg, 0)
	n := tg.Clients
	if n == 0 {
		n = 200
	}
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			c, err := tg.Dial(ctx, addr)
			if err != nil {
				errs <- fmt.Errorf("client %d: dial: %w", i, err)
				return
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(30 * time.Second))
			msg := bytes.Repeat([]byte(fmt.Sprintf("client %04d says hello; ", i)), 200)
			got, err := echo.Exchange(c, msg)
			if err != nil {
				errs <- fmt.Errorf("client %d: %w", i, err)
				return
			}
			if !bytes.Equal(got, msg) {
				errs <- fmt.Errorf("client %d got %d bytes not its own %d", i, len(got), len(msg))
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// resetMidMessage: a client that sends half a message and vanishes with a
// reset must not disturb the server or the other clients.
func resetMidMessage(t *testing.T, tg Target) {
	addr, _ := start(t, tg, 0)
	steady := dial(t, tg, addr)
	defer steady.Close()
	_, err := steady.Write([]byte("first half, "))
	require.NoError(t, err)

	for range 5 {
		bad := dial(t, tg, addr)
		_, err := bad.Write(random(t, 100<<10))
		require.NoError(t, err)
		abort(bad)
	}
	got, err := echo.Exchange(steady, []byte("second half"))
	require.NoError(t, err)
	require.Equal(t, "first half, second half", string(got))

	c := dial(t, tg, addr)
	defer c.Close()
	got, err = echo.Exchange(c, []byte("a new client after the resets"))
	require.NoError(t, err)
	require.Equal(t, "a new client after the resets", string(got))
}

// abort closes c with a TCP reset where it can (SO_LINGER 0), else plainly.
func abort(c net.Conn) {
	if tc, ok := c.(*tls.Conn); ok {
		c = tc.NetConn()
	}
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	c.Close()
}

func halfClose(t *testing.T, tg Target) {
	addr, _ := start(t, tg, 0)
	c := dial(t, tg, addr)
	defer c.Close()
	_, err := c.Write([]byte("Hello World\n"))
	require.NoError(t, err)
	require.NoError(t, c.(interface{ CloseWrite() error }).CloseWrite())
	got, err := io.ReadAll(c)
	require.NoError(t, err, "after our half-close the server still owes us the echo, then EOF")
	require.Equal(t, "Hello World\n", string(got))
}

func idleTimeout(t *testing.T, tg Target) {
	addr, _ := start(t, tg, time.Second)
	idle := dial(t, tg, addr)
	defer idle.Close()
	busy := dial(t, tg, addr)
	defer busy.Close()

	// The busy client keeps talking for longer than the timeout, with
	// pauses well under it (generous, as CI machines are shared).
	for i := range 12 {
		msg := fmt.Sprintf("tick %d\n", i)
		_, err := busy.Write([]byte(msg))
		require.NoError(t, err)
		buf := make([]byte, len(msg))
		_, err = io.ReadFull(busy, buf)
		require.NoError(t, err, "a busy client must not be dropped for idling")
		require.Equal(t, msg, string(buf))
		time.Sleep(150 * time.Millisecond)
	}
	// By now the idle one has been closed by the server.
	idle.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, err := idle.Read(make([]byte, 1))
	require.Error(t, err, "an idle connection must be closed by the server")
	require.False(t, errors.Is(err, syscall.ETIMEDOUT) || isTimeout(err), "the server never closed the idle connection: %v", err)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// shutdownEchoes: data that reached the server's host before shutdown is
// echoed, then the stream ends cleanly.
func shutdownEchoes(t *testing.T, tg Target) {
	addr, cancel := start(t, tg, 0)
	c := dial(t, tg, addr)
	defer c.Close()

	_, err := c.Write([]byte("first"))
	require.NoError(t, err)
	buf := make([]byte, 5)
	_, err = io.ReadFull(c, buf)
	require.NoError(t, err)

	last := bytes.Repeat([]byte("sent before shutdown; "), 1000)
	_, err = c.Write(last)
	require.NoError(t, err)
	waitDelivered(t, c)
	cancel()

	got, err := io.ReadAll(c)
	require.NoError(t, err, "shutdown must end the stream cleanly, not with a reset")
	require.Equal(t, len(last), len(got), "every byte received before shutdown is echoed")
	require.True(t, bytes.Equal(last, got))
}

// waitDelivered waits until the peer's kernel has acknowledged everything
// written on c, so the data has reached the server's host. UNIX sockets
// deliver within write itself.
func waitDelivered(t *testing.T, c net.Conn) {
	t.Helper()
	if tc, ok := c.(*tls.Conn); ok {
		c = tc.NetConn()
	}
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return
	}
	raw, err := tc.SyscallConn()
	require.NoError(t, err)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		var info *unix.TCPInfo
		var gerr error
		require.NoError(t, raw.Control(func(fd uintptr) {
			info, gerr = unix.GetsockoptTCPInfo(int(fd), unix.IPPROTO_TCP, unix.TCP_INFO)
		}))
		require.NoError(t, gerr)
		if info.Unacked == 0 && info.Notsent_bytes == 0 {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatal("data written was not acknowledged by the server's host within 10 s")
}

// shutdownStuckClient: a client that sends a lot and never reads cannot
// keep the server from stopping.
func shutdownStuckClient(t *testing.T, tg Target) {
	ctx, cancel := context.WithCancel(context.Background())
	addr, wait, err := tg.Start(ctx, 0)
	require.NoError(t, err)
	c := dial(t, tg, addr)
	defer c.Close()
	go func() {
		chunk := make([]byte, 64<<10)
		for range 256 { // up to 16 MiB; stops when the server goes away
			if _, err := c.Write(chunk); err != nil {
				return
			}
		}
	}()
	time.Sleep(200 * time.Millisecond) // let the buffers fill
	cancel()
	require.NoError(t, waitWithin(t, wait, 20*time.Second))
}
