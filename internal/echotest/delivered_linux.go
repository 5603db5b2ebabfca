package echotest

import (
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// waitAcked waits until the peer's kernel has acknowledged everything
// written on tc, as TCP_INFO's unacked and not-sent counters tell.
func waitAcked(t *testing.T, tc *net.TCPConn) {
	t.Helper()
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
