package echo

import (
	"context"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// recordingConn remembers the largest buffer Read was asked to fill.
type recordingConn struct {
	net.Conn
	mu      sync.Mutex
	largest int
}

func (c *recordingConn) Read(b []byte) (int, error) {
	c.mu.Lock()
	c.largest = max(c.largest, len(b))
	c.mu.Unlock()
	return c.Conn.Read(b)
}

func TestEchoCountsBytesAndBoundsItsBuffer(t *testing.T) {
	server, client := net.Pipe()
	rc := &recordingConn{Conn: server}
	h := &Handler{BufferSize: 4096}
	type result struct {
		n   int64
		err error
	}
	done := make(chan result, 1)
	go func() {
		n, err := h.Echo(context.Background(), rc)
		server.Close()
		done <- result{n, err}
	}()

	msg := make([]byte, 100_000)
	go func() {
		client.Write(msg)
		// net.Pipe has no half-close; ending the write side means closing.
	}()
	got := make([]byte, len(msg))
	_, err := io.ReadFull(client, got)
	require.NoError(t, err)
	client.Close()

	r := <-done
	require.NoError(t, r.err)
	assert.Equal(t, int64(len(msg)), r.n)
	assert.Equal(t, 4096, rc.largest, "one fixed buffer per connection")
}

func TestEchoReportsIdleTimeout(t *testing.T) {
	server, client := net.Pipe()
	defer client.Close()
	defer server.Close()
	h := &Handler{IdleTimeout: 50 * time.Millisecond}
	_, err := h.Echo(context.Background(), server)
	require.ErrorIs(t, err, ErrIdle)
	assert.Contains(t, err.Error(), "sent nothing for 50ms")
}

func TestEchoStopsWhenContextEnds(t *testing.T) {
	server, client := net.Pipe()
	defer client.Close()
	defer server.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := (&Handler{ShutdownGrace: 100 * time.Millisecond}).Echo(ctx, server)
		done <- err
	}()
	cancel()
	select {
	case err := <-done:
		require.NoError(t, err, "a shutdown is not an error")
	case <-time.After(10 * time.Second):
		t.Fatal("Echo did not return after its context ended")
	}
}

func TestExchangeNeedsHalfClose(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	_, err := Exchange(a, []byte("x"))
	require.ErrorContains(t, err, "cannot close its write side")
}

func TestExchangeReportsAResetServer(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		c.Read(make([]byte, 1)) // wait for the client's first bytes
		c.(*net.TCPConn).SetLinger(0)
		c.Close() // then reset instead of echoing
	}()
	c, err := net.Dial("tcp4", ln.Addr().String())
	require.NoError(t, err)
	defer c.Close()
	_, err = Exchange(c, make([]byte, 1<<20))
	require.Error(t, err)
	assert.Contains(t, err.Error(), ln.Addr().String())
}
