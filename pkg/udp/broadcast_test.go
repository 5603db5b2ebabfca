package udp_test

import (
	"context"
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/pkg/udp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// loopbackBroadcast is the broadcast address of 127.0.0.0/8, for which
// Linux installs a broadcast route on lo. Tests use it instead of
// 255.255.255.255 so that nothing leaves the machine.
var loopbackBroadcast = net.IPv4(127, 255, 255, 255)

// Linux delivers a datagram sent to 127.255.255.255 to sockets bound to
// the wildcard address or to the broadcast address itself, never to one
// bound to 127.0.0.1.
func TestBroadcastReachesLoopbackListeners(t *testing.T) {
	for _, bind := range []string{"0.0.0.0:0", "127.255.255.255:0"} {
		t.Run(bind, func(t *testing.T) {
			testenv.CheckFDs(t)
			listener, err := net.ListenPacket("udp4", bind)
			require.NoError(t, err)
			defer listener.Close()
			port := listener.LocalAddr().(*net.UDPAddr).Port

			pc, err := udp.ListenBroadcast(context.Background(), "udp4", ":0")
			require.NoError(t, err)
			defer pc.Close()
			s := udp.Sender{
				To:       &net.UDPAddr{IP: loopbackBroadcast, Port: port},
				Payload:  udp.Timestamp(nil),
				Interval: time.Millisecond,
				Count:    2,
			}
			require.NoError(t, s.Run(context.Background(), pc))
			for _, m := range receive(t, listener, 2) {
				assert.Regexp(t, `^\d+\.\d\d\n$`, m)
			}
		})
	}
}

// Without SO_BROADCAST the kernel refuses the send with EACCES: the option
// is what the recipe is about. Go turns it on for every UDP socket, so the
// test turns it off explicitly.
func TestBroadcastWithoutSOBroadcastIsRefused(t *testing.T) {
	testenv.CheckFDs(t)
	lc := net.ListenConfig{Control: func(_, _ string, c syscall.RawConn) error {
		return udp.SetBroadcast(c, false)
	}}
	pc, err := lc.ListenPacket(context.Background(), "udp4", "0.0.0.0:0")
	require.NoError(t, err)
	defer pc.Close()
	to := &net.UDPAddr{IP: loopbackBroadcast, Port: 9}

	s := udp.Sender{To: to, Payload: udp.Message([]byte("x")), Interval: time.Second}
	err = s.Run(context.Background(), pc)
	require.ErrorIs(t, err, syscall.EACCES)
	assert.ErrorContains(t, err, "127.255.255.255:9")

	// The same socket, with the option back on, may send.
	sc, err := pc.(*net.UDPConn).SyscallConn()
	require.NoError(t, err)
	require.NoError(t, udp.SetBroadcast(sc, true))
	_, err = pc.WriteTo([]byte("x"), to)
	assert.NoError(t, err)
}

func TestListenBroadcastSetsTheOption(t *testing.T) {
	testenv.CheckFDs(t)
	pc, err := udp.ListenBroadcast(context.Background(), "udp", "127.0.0.1:0")
	require.NoError(t, err)
	defer pc.Close()
	assert.Equal(t, "127.0.0.1", pc.LocalAddr().(*net.UDPAddr).IP.String())

	assert.Equal(t, 1, testenv.SockoptInt(t, pc, unix.SOL_SOCKET, unix.SO_BROADCAST))
}

func TestListenBroadcastRejectsBadInput(t *testing.T) {
	_, err := udp.ListenBroadcast(context.Background(), "udp6", ":0")
	assert.ErrorContains(t, err, `"udp6"`)
	_, err = udp.ListenBroadcast(context.Background(), "udp4", "127.0.0.1:99999")
	assert.ErrorContains(t, err, `"127.0.0.1:99999"`)
}
