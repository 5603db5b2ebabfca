package echotest

import (
	"crypto/tls"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

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
