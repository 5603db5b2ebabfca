package echotest

import (
	"bytes"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/sockbook/sockbook/pkg/echo"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func random(t *testing.T, n int) []byte {
	b := make([]byte, n)
	_, err := rand.Read(b)
	require.NoError(t, err)
	return b
}

// echoes: the cheat sheet's nc sessions, two clients taking turns on
// connections that stay open between messages.
func echoes(t *testing.T, tg Target) {
	s := start(t, tg, 0)
	a, b := s.dial(t), s.dial(t)
	defer a.Close()
	defer b.Close()
	RequireEcho(t, a, "Hello\n")
	RequireEcho(t, b, "Ker Ker\n")
	RequireEcho(t, a, "Hello Python Socket Programming\n")
}

// largeMessage: a MiB, more than the socket buffers of both sides hold,
// so the server must echo while the client is still sending.
func largeMessage(t *testing.T, tg Target) {
	s := start(t, tg, 0)
	c := s.dial(t)
	defer c.Close()
	msg := random(t, 1<<20)
	got, err := echo.Exchange(c, msg)
	require.NoError(t, err)
	require.Equal(t, len(msg), len(got), "echoed length")
	require.True(t, bytes.Equal(msg, got), "1 MiB echoed with different content")
}

// slowReader sends far more than all the buffers on the way hold, without
// reading. The server must keep serving others meanwhile and then deliver
// every byte in order; a server with Backlog must also pause reading from
// this client and keep its backlog within MaxPending. A server without
// Backlog (a goroutine per client, bounded by its copy buffer by
// construction) is held to the rest.
func slowReader(t *testing.T, tg Target) {
	const total = 32 << 20
	s := start(t, tg, 0)
	slow := s.dial(t)
	defer slow.Close()
	werr := make(chan error, 1)
	go func() {
		chunk := make([]byte, 256<<10)
		for sent := 0; sent < total; sent += len(chunk) {
			for i := range chunk {
				chunk[i] = byte((sent + i) % 251)
			}
			if _, err := slow.Write(chunk); err != nil {
				werr <- err
				return
			}
		}
		werr <- nil
	}()

	// The wait only bounds a hang; nothing is asserted about speed.
	if tg.Backlog != nil {
		require.Eventually(t, func() bool {
			_, pauses := tg.Backlog()
			return pauses > 0
		}, 30*time.Second, 5*time.Millisecond, "the server never paused reading from a client that does not read")
	}

	other := s.dial(t)
	defer other.Close()
	RequireEcho(t, other, "still serving others\n")

	got := make([]byte, 1<<20)
	for read := 0; read < total; {
		n, err := slow.Read(got)
		for i, b := range got[:n] {
			if want := byte((read + i) % 251); b != want {
				t.Fatalf("byte %d of %d echoed as %d, want %d", read+i, total, b, want)
			}
		}
		read += n
		require.NoError(t, err, "after %d of %d bytes", read, total)
	}
	require.NoError(t, <-werr)
	if tg.Backlog != nil {
		maxPending, _ := tg.Backlog()
		assert.LessOrEqual(t, maxPending, tg.MaxPending, "a client's pending output exceeded the cap")
	}
}

// resetMidMessage: clients that send half a message and vanish with a
// reset, in the middle of another client's message, must not disturb the
// server or the other clients. Some speak the target's protocol, one
// speaks none (to a TLS server, plain text).
func resetMidMessage(t *testing.T, tg Target) {
	s := start(t, tg, 0)
	steady := s.dial(t)
	defer steady.Close()
	RequireEcho(t, steady, "before the resets\n")
	_, err := steady.Write([]byte("first half, "))
	require.NoError(t, err)

	for range 5 {
		bad := s.dial(t)
		_, err := bad.Write(random(t, 100<<10))
		require.NoError(t, err)
		abort(bad)
	}
	rude := s.dialPlain(t)
	// A server that rejects the bytes may have closed already, so the
	// write may fail; what matters is what follows.
	_, _ = rude.Write(bytes.Repeat([]byte("half a mess"), 10000))
	abort(rude)

	got, err := echo.Exchange(steady, []byte("second half"))
	require.NoError(t, err)
	require.Equal(t, "first half, second half", string(got))

	c := s.dial(t)
	defer c.Close()
	got, err = echo.Exchange(c, []byte("a new client after the resets"))
	require.NoError(t, err)
	require.Equal(t, "a new client after the resets", string(got))
}

// abort closes c with a TCP reset where it can (SO_LINGER 0: close drops
// unsent data and sends RST instead of FIN), else plainly.
func abort(c net.Conn) {
	if tc, ok := c.(*tls.Conn); ok {
		c = tc.NetConn()
	}
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	c.Close()
}

// halfClose: after the client shuts its write side, the server still owes
// it the echo, then EOF.
func halfClose(t *testing.T, tg Target) {
	s := start(t, tg, 0)
	c := s.dial(t)
	defer c.Close()
	_, err := c.Write([]byte("Hello World\n"))
	require.NoError(t, err)
	closeWrite(t, c)
	got, err := io.ReadAll(c)
	require.NoError(t, err, "after our half-close the server still owes us the echo, then EOF")
	require.Equal(t, "Hello World\n", string(got))
}

// idleTimeout: a silent client is closed, a busy one is not.
func idleTimeout(t *testing.T, tg Target) {
	if tg.NoIdleTimeout {
		t.Skip("the server has no idle timeout")
	}
	s := start(t, tg, time.Second)
	idle := s.dial(t)
	defer idle.Close()
	busy := s.dial(t)
	defer busy.Close()

	// The busy client keeps talking for longer than the timeout, with
	// pauses well under it (generous, as CI machines are shared).
	for i := range 12 {
		RequireEcho(t, busy, fmt.Sprintf("tick %d\n", i))
		time.Sleep(150 * time.Millisecond)
	}
	// By now the idle one has been closed by the server.
	idle.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, err := idle.Read(make([]byte, 1))
	require.Error(t, err, "an idle connection must be closed by the server")
	require.False(t, errors.Is(err, syscall.ETIMEDOUT) || isTimeout(err), "the server never closed the idle connection: %v", err)
}
