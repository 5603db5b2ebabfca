package eventloop_test

import (
	"os"
	"testing"

	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/pkg/eventloop"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

func TestReadSomeWriteSome(t *testing.T) {
	fds := testenv.Socketpair(t)
	defer unix.Close(fds[1])
	buf := make([]byte, 8)

	n, eof, err := eventloop.ReadSome(fds[0], buf)
	assert.Equal(t, 0, n, "nothing sent yet")
	assert.False(t, eof, "an empty socket is not EOF")
	require.NoError(t, err, "EAGAIN is not an error")

	// A full send buffer stops WriteSome short, without an error.
	big := make([]byte, 16<<20)
	sent, err := eventloop.WriteSome(fds[1], big)
	require.NoError(t, err)
	assert.Greater(t, sent, 0)
	assert.Less(t, sent, len(big), "the socket buffer cannot hold 16 MiB")

	n, eof, err = eventloop.ReadSome(fds[0], buf)
	require.NoError(t, err)
	assert.Equal(t, len(buf), n)
	assert.False(t, eof)

	require.NoError(t, unix.Close(fds[0]))
	_, err = eventloop.WriteSome(fds[1], []byte("x"))
	var se *os.SyscallError
	require.ErrorAs(t, err, &se, "a write to a closed peer fails with the call's name")
	assert.Equal(t, "write", se.Syscall)
	assert.ErrorIs(t, err, unix.EPIPE)
}

func TestReadSomeReportsEOF(t *testing.T) {
	fds := testenv.Socketpair(t)
	defer unix.Close(fds[0])
	require.NoError(t, unix.Close(fds[1]))
	n, eof, err := eventloop.ReadSome(fds[0], make([]byte, 8))
	require.NoError(t, err)
	assert.Zero(t, n)
	assert.True(t, eof, "the peer closed")

	_, _, err = eventloop.ReadSome(-1, make([]byte, 8))
	assert.EqualError(t, err, "read: bad file descriptor")
}
