package unixecho

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sockbook/sockbook/internal/echotest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func target(t *testing.T, name func() string) echotest.Target {
	return echotest.Target{
		Start: func(ctx context.Context, idle time.Duration) (net.Addr, func() error, error) {
			listen := func(ctx context.Context) (net.Listener, error) { return Listen(ctx, name()) }
			return echotest.ServeListener(ctx, listen, &Server{IdleTimeout: idle})
		},
		Dial: func(ctx context.Context, addr net.Addr) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", addr.String())
		},
	}
}

func TestPathSocket(t *testing.T) {
	dir := t.TempDir()
	n := 0
	echotest.Run(t, target(t, func() string {
		n++
		return filepath.Join(dir, fmt.Sprintf("echo%d.sock", n))
	}))
}

func TestAbstractSocket(t *testing.T) {
	n := 0
	echotest.Run(t, target(t, func() string {
		n++
		return fmt.Sprintf("@sockbook-test-%d-%d", os.Getpid(), n)
	}))
}

func TestStaleSocketIsRemoved(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stale.sock")
	// A socket bound and closed without unlinking: what a crashed server leaves.
	fd, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	require.NoError(t, err)
	require.NoError(t, syscall.Bind(fd, &syscall.SockaddrUnix{Name: path}))
	syscall.Close(fd)
	_, err = os.Stat(path)
	require.NoError(t, err, "the stale file exists")

	ln, err := Listen(context.Background(), path)
	require.NoError(t, err)
	ln.Close()
}

func TestLiveSocketIsNotStolen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "live.sock")
	ln, err := Listen(context.Background(), path)
	require.NoError(t, err)
	defer ln.Close()

	_, err = Listen(context.Background(), path)
	require.ErrorIs(t, err, ErrInUse)
	assert.Contains(t, err.Error(), path)
}

func TestRegularFileIsNotRemoved(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.txt")
	require.NoError(t, os.WriteFile(path, []byte("keep me"), 0o600))
	_, err := Listen(context.Background(), path)
	require.ErrorContains(t, err, "is not a socket")
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "keep me", string(b))
}

func TestPathLimits(t *testing.T) {
	dir := t.TempDir()
	long := filepath.Join(dir, strings.Repeat("x", MaxPathLen+1-len(dir)-1))
	require.Len(t, long, MaxPathLen+1)
	_, err := Listen(context.Background(), long)
	require.ErrorContains(t, err, "at most 107")
	assert.Contains(t, err.Error(), long)

	longest := long[:MaxPathLen]
	ln, err := Listen(context.Background(), longest)
	require.NoError(t, err, "107 bytes is allowed")
	ln.Close()

	abstract := "@" + strings.Repeat("a", MaxPathLen)
	ln, err = Listen(context.Background(), abstract)
	require.NoError(t, err, "an abstract name may use all 108 bytes")
	ln.Close()
	_, err = Listen(context.Background(), abstract+"a")
	require.ErrorContains(t, err, "at most 108")

	for _, bad := range []string{"", "@", "a\x00b"} {
		_, err := Listen(context.Background(), bad)
		require.Error(t, err, "%q", bad)
	}
}
