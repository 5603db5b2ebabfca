package echotest

import (
	"bytes"
	"context"
	"crypto/tls"
	"io"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// shutdown: when its context ends the server closes its clients and its
// listener and returns nil.
func shutdown(t *testing.T, tg Target) {
	s := start(t, tg, 0)
	c := s.dial(t)
	defer c.Close()
	RequireEcho(t, c, "hello\n")
	done := make(chan error, 1)
	go func() { done <- s.stop() }()

	// The server closes our connection, owing us nothing...
	rest, err := io.ReadAll(c)
	if err != nil {
		require.ErrorIs(t, err, unix.ECONNRESET)
	}
	assert.Empty(t, rest)
	// ...returns once we have gone too...
	c.Close()
	require.NoError(t, <-done, "the server's result")
	// ...and no longer listens.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	late, err := dialPlain(ctx, s.addr)
	if err == nil {
		late.Close()
	}
	require.Error(t, err, "the listener still accepts after shutdown")
}

// shutdownEchoes: data that reached the server's host before shutdown is
// echoed, then the stream ends cleanly.
func shutdownEchoes(t *testing.T, tg Target) {
	if tg.ShutdownDropsUnread {
		t.Skip("the server drops what it has not read when it stops")
	}
	s := start(t, tg, 0)
	c := s.dial(t)
	defer c.Close()
	RequireEcho(t, c, "first")

	last := bytes.Repeat([]byte("sent before shutdown; "), 1000)
	_, err := c.Write(last)
	require.NoError(t, err)
	waitDelivered(t, c)
	done := make(chan error, 1)
	go func() { done <- s.stop() }()

	got, err := io.ReadAll(c)
	require.NoError(t, err, "shutdown must end the stream cleanly, not with a reset")
	require.Equal(t, len(last), len(got), "every byte received before shutdown is echoed")
	require.True(t, bytes.Equal(last, got))
	c.Close()
	require.NoError(t, <-done, "the server's result")
}

// shutdownStuckClient: a client that sends a lot and never reads cannot
// keep the server from stopping.
func shutdownStuckClient(t *testing.T, tg Target) {
	s := start(t, tg, 0)
	c := s.dial(t)
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
	require.NoError(t, s.stop(), "the server's result")
}

// waitDelivered waits until everything written on c has reached the
// server's host. UNIX sockets deliver within write itself; a TCP
// connection, under TLS or not, waits for the peer's acknowledgement.
func waitDelivered(t *testing.T, c net.Conn) {
	t.Helper()
	if tc, ok := c.(*tls.Conn); ok {
		c = tc.NetConn()
	}
	if tc, ok := c.(*net.TCPConn); ok {
		waitAcked(t, tc)
	}
}
