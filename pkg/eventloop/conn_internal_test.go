package eventloop

import (
	"bytes"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/sockbook/sockbook/internal/testenv"
)

// pair returns a Conn over one end of a non-blocking stream socketpair and
// the other end, for the test to play the client.
func pair(t *testing.T, maxPending int) (*Conn, int) {
	t.Helper()
	testenv.CheckFDs(t)
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	require.NoError(t, err)
	require.NoError(t, unix.SetNonblock(fds[0], true))
	require.NoError(t, unix.SetNonblock(fds[1], true))
	c := NewConn(fds[0], "pair", maxPending)
	t.Cleanup(func() {
		c.Close()
		unix.Close(fds[1])
	})
	return c, fds[1]
}

// readAll reads what is available on fd.
func readAll(t *testing.T, fd int) []byte {
	t.Helper()
	var got []byte
	buf := make([]byte, 64<<10)
	for {
		n, err := unix.Read(fd, buf)
		if err == unix.EAGAIN {
			return got
		}
		require.NoError(t, err)
		if n == 0 {
			return got
		}
		got = append(got, buf[:n]...)
	}
}

// TestEchoWritesThrough checks that with nothing pending an echo goes
// straight back and the connection keeps no buffer.
func TestEchoWritesThrough(t *testing.T) {
	c, peer := pair(t, 0)
	msg := bytes.Repeat([]byte("0123456789"), 4<<10) // 40 KiB, more than one read
	_, err := unix.Write(peer, msg)
	require.NoError(t, err)

	var got []byte
	buf := make([]byte, 32<<10)
	for len(got) < len(msg) {
		n, err := c.echo(buf)
		require.NoError(t, err)
		require.NotZero(t, n, "the message is waiting to be read")
		assert.Zero(t, c.Pending(), "the socket took the whole echo")
		got = append(got, readAll(t, peer)...)
	}
	assert.Equal(t, msg, got)
	assert.Zero(t, cap(c.out), "no buffer is held between messages")
}

// TestEchoQueuesBehindPending checks that when the socket cannot take an
// echo the rest waits, later input queues behind it in order, and the
// buffer is let go once it drains.
func TestEchoQueuesBehindPending(t *testing.T) {
	c, peer := pair(t, 1<<20)
	// Fill the path towards the peer so that the next echo is partial.
	junk := make([]byte, 64<<10)
	filled := 0
	for {
		n, err := unix.Write(c.FD(), junk)
		if err == unix.EAGAIN {
			break
		}
		require.NoError(t, err)
		filled += n
	}

	first := bytes.Repeat([]byte("a"), 5000)
	second := bytes.Repeat([]byte("b"), 3000)
	buf := make([]byte, 32<<10)
	_, err := unix.Write(peer, first)
	require.NoError(t, err)
	n, err := c.echo(buf)
	require.NoError(t, err)
	assert.Equal(t, len(first), n)
	assert.Equal(t, len(first), c.Pending(), "a full socket leaves the echo pending")

	_, err = unix.Write(peer, second)
	require.NoError(t, err)
	n, err = c.echo(buf)
	require.NoError(t, err)
	assert.Equal(t, len(second), n)
	assert.Equal(t, len(first)+len(second), c.Pending(), "new input queues behind the pending output")

	var got []byte
	for c.WantWrite() {
		got = append(got, readAll(t, peer)...)
		_, err := c.Flush()
		require.NoError(t, err)
	}
	got = append(got, readAll(t, peer)...)
	require.Len(t, got, filled+len(first)+len(second))
	assert.Equal(t, append(first, second...), got[filled:], "echoes come back in order")
	assert.Zero(t, cap(c.out), "a drained buffer larger than keepCap is let go")
}

// TestFlushKeepsSmallBuffer checks that a small pending buffer is kept for
// reuse, so that a loop that reads with Read does not allocate per echo.
func TestFlushKeepsSmallBuffer(t *testing.T) {
	c, peer := pair(t, 0)
	_, err := unix.Write(peer, []byte("hello"))
	require.NoError(t, err)
	n, err := c.Read(make([]byte, 64))
	require.NoError(t, err)
	require.Equal(t, 5, n)
	sent, err := c.Flush()
	require.NoError(t, err)
	assert.Equal(t, 5, sent)
	assert.NotZero(t, cap(c.out))
	assert.Equal(t, []byte("hello"), readAll(t, peer))
}

// Only a client the loop accepted itself, non-blocking, makes its calls
// without the scheduler's hand-off: a Conn from NewConn holds a caller's
// descriptor, which might block, and a raw call that blocks would stall
// the garbage collector.
func TestOnlyAcceptedConnsUseRawCalls(t *testing.T) {
	assert.True(t, newConn(3, netip.AddrPort{}, 0).accepted)
	assert.False(t, NewConn(3, "caller's", 0).accepted)
}
