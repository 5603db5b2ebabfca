package tcpecho

import (
	"context"
	"net"
	"net/netip"
	"strconv"
	"testing"
	"time"

	"github.com/sockbook/sockbook/internal/echotest"
	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
	"golang.org/x/sys/unix"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// target runs the server on a listener made by listen and dials it with
// dialNetwork.
func target(listen func(ctx context.Context) (net.Listener, error), dialNetwork, dialHost string) echotest.Target {
	return echotest.Target{
		Start: func(ctx context.Context, idle time.Duration) (net.Addr, func() error, error) {
			return echotest.ServeListener(ctx, listen, &Server{IdleTimeout: idle})
		},
		Dial: func(ctx context.Context, addr net.Addr) (net.Conn, error) {
			var d net.Dialer
			port := strconv.Itoa(addr.(*net.TCPAddr).Port)
			return d.DialContext(ctx, dialNetwork, net.JoinHostPort(dialHost, port))
		},
	}
}

func TestTCP4(t *testing.T) {
	echotest.Run(t, target(func(ctx context.Context) (net.Listener, error) {
		return Listen(ctx, "tcp4", "127.0.0.1:0")
	}, "tcp4", "127.0.0.1"))
}

func TestTCP6(t *testing.T) {
	testenv.MustHaveIPv6(t)
	echotest.Run(t, target(func(ctx context.Context) (net.Listener, error) {
		return Listen(ctx, "tcp6", "[::1]:0")
	}, "tcp6", "::1"))
}

func TestDualStackIPv4Clients(t *testing.T) {
	testenv.MustHaveIPv6(t)
	echotest.Run(t, target(func(ctx context.Context) (net.Listener, error) {
		return ListenDualStack(ctx, 0)
	}, "tcp4", "127.0.0.1"))
}

func TestDualStackIPv6Clients(t *testing.T) {
	testenv.MustHaveIPv6(t)
	echotest.Run(t, target(func(ctx context.Context) (net.Listener, error) {
		return ListenDualStack(ctx, 0)
	}, "tcp6", "::1"))
}

// The option is really off on the socket, whatever the system default.
func TestDualStackClearsV6Only(t *testing.T) {
	testenv.MustHaveIPv6(t)
	ln, err := ListenDualStack(context.Background(), 0)
	require.NoError(t, err)
	defer ln.Close()
	assert.Equal(t, 0, testenv.SockoptInt(t, ln.(*net.TCPListener), unix.IPPROTO_IPV6, unix.IPV6_V6ONLY))
}

func TestListenErrorNamesTheAddress(t *testing.T) {
	_, err := Listen(context.Background(), "tcp4", "256.0.0.1:0")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "256.0.0.1")

	ln, err := Listen(context.Background(), "tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	_, err = Listen(context.Background(), "tcp4", ln.Addr().String())
	require.Error(t, err, "a port in use")
	assert.Contains(t, err.Error(), ln.Addr().String())
}

func TestFormatPeer(t *testing.T) {
	for in, want := range map[string]string{
		"127.0.0.1:42604":                     "('127.0.0.1', 42604)",
		"[::ffff:127.0.0.1]:42604":            "('::ffff:127.0.0.1', 42604, 0, 0)",
		"[::1]:50882":                         "('::1', 50882, 0, 0)",
		"[fe80::a00:27ff:fe9b:50ee%lo]:42042": "('fe80::a00:27ff:fe9b:50ee%lo', 42042, 0, 1)",
		"[fe80::1%7]:1":                       "('fe80::1%7', 1, 0, 7)",
	} {
		assert.Equal(t, want, FormatPeer(netip.MustParseAddrPort(in)), in)
	}
}
