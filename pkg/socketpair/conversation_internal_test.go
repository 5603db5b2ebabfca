package socketpair

import (
	"bytes"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// peer runs one side over one end of a pair while script plays the other
// end by hand, and returns the side's output and error.
func peer(t *testing.T, s side, script func(conn net.Conn)) (string, error) {
	t.Helper()
	testenv.CheckFDs(t)
	a, b, err := Pair()
	require.NoError(t, err)
	defer a.Close()
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer b.Close()
		script(b)
	}()
	var out bytes.Buffer
	err = s(a, &out)
	a.Close()
	<-done
	return out.String(), err
}

func TestParentRejectsAnOverlongMessage(t *testing.T) {
	out, err := peer(t, duplexParent, func(conn net.Conn) {
		_, _ = io.WriteString(conn, strings.Repeat("x", 5000)+"\n")
		_, _ = io.Copy(io.Discard, conn)
	})
	assert.ErrorContains(t, err, "read from child: message longer than 1024 bytes")
	assert.Empty(t, out)
}

func TestChildRejectsATruncatedMessage(t *testing.T) {
	out, err := peer(t, pingPongChild, func(conn net.Conn) {
		_, _ = io.WriteString(conn, "Hi! Ch")
	})
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.ErrorContains(t, err, `message "Hi! Ch" cut short`)
	assert.Empty(t, out)
}

func TestPingPongChildEndsCleanlyAtEndOfFile(t *testing.T) {
	var replies string
	out, err := peer(t, pingPongChild, func(conn net.Conn) {
		_, _ = io.WriteString(conn, "one\ntwo\n")
		_ = conn.(*net.UnixConn).CloseWrite()
		b, _ := io.ReadAll(conn)
		replies = string(b)
	})
	require.NoError(t, err)
	assert.Equal(t, "one\ntwo\n", out, "the child prints what it receives, whatever it is")
	assert.Equal(t, "Hi! Parent!\nHi! Parent!\n", replies)
}

func TestDuplexParentEchoesWhatItGets(t *testing.T) {
	var echo []byte
	out, err := peer(t, duplexParent, func(conn net.Conn) {
		_, _ = io.WriteString(conn, "Hello from a test\n")
		echo, _ = io.ReadAll(conn)
	})
	require.NoError(t, err)
	assert.Equal(t, "child ---> parent: Hello from a test\n", out)
	assert.Equal(t, "Hello from a test\n", string(echo))
}
