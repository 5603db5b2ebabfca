package udp_test

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sockbook/sockbook/internal/syncbuf"
	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/pkg/udp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// With IP_RECVERR set, Linux reports an ICMP "port unreachable" for an
// earlier reply as ECONNREFUSED on the next read of an unconnected socket.
// The server must log it and keep serving.
func TestEchoSurvivesConnectionRefused(t *testing.T) {
	testenv.CheckFDs(t)
	lc := net.ListenConfig{Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		err := c.Control(func(fd uintptr) {
			serr = unix.SetsockoptInt(int(fd), unix.IPPROTO_IP, unix.IP_RECVERR, 1)
		})
		return errors.Join(err, serr)
	}}
	pc, err := lc.ListenPacket(context.Background(), "udp4", "127.0.0.1:0")
	require.NoError(t, err)

	// This client is gone before the server runs, so the echo meets a
	// closed port.
	gone, err := net.Dial("udp", pc.LocalAddr().String())
	require.NoError(t, err)
	_, err = gone.Write([]byte("nobody will read this"))
	require.NoError(t, err)
	require.NoError(t, gone.Close())

	var logs syncbuf.Buffer
	stop := startEcho(t, &udp.EchoServer{Logger: slog.New(slog.NewTextHandler(&logs, nil))}, pc)
	require.Eventually(t, func() bool {
		return strings.Contains(logs.String(), "connection refused")
	}, 10*time.Second, 10*time.Millisecond, "the server never saw ECONNREFUSED; logs:\n%s", logs.String())

	c := dial(t, pc)
	got, err := exchange(c, []byte("still there?"))
	require.NoError(t, err)
	assert.Equal(t, "still there?", string(got))
	require.NoError(t, stop())
	assert.Contains(t, logs.String(), "still serving")
}
