package main

import (
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/pkg/echo"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// exchangeWith dials network/address, sends msg, half-closes and returns
// the reply.
func exchangeWith(t *testing.T, network, address, msg string) string {
	t.Helper()
	c, err := net.DialTimeout(network, address, 10*time.Second)
	require.NoError(t, err)
	defer c.Close()
	c.SetDeadline(time.Now().Add(20 * time.Second))
	got, err := echo.Exchange(c, []byte(msg))
	require.NoError(t, err)
	return string(got)
}

func TestCLITCPEcho(t *testing.T) {
	network, addr, _ := startCLI(t, "tcp-echo", "-addr", "127.0.0.1:0")
	assert.Equal(t, "tcp", network)
	assert.Equal(t, "Hello World\n", exchangeWith(t, "tcp4", addr, "Hello World\n"))
}

func TestCLITCPEchoIPv6(t *testing.T) {
	testenv.MustHaveIPv6(t)
	_, addr, _ := startCLI(t, "tcp-echo-ipv6", "-addr", "[::1]:0")
	assert.Equal(t, "Hello IPv6\n", exchangeWith(t, "tcp6", addr, "Hello IPv6\n"))
}

func TestCLIDualStack(t *testing.T) {
	testenv.MustHaveIPv6(t)
	_, addr, lines := startCLI(t, "dual-stack", "-port", "0")
	_, port, err := net.SplitHostPort(addr)
	require.NoError(t, err)

	assert.Equal(t, "Hello IPv4\n", exchangeWith(t, "tcp4", net.JoinHostPort("127.0.0.1", port), "Hello IPv4\n"))
	assert.True(t, strings.HasPrefix(nextLine(t, lines), "('::ffff:127.0.0.1', "), "IPv4 peer shown mapped")
	assert.Equal(t, "Hello IPv6\n", exchangeWith(t, "tcp6", net.JoinHostPort("::1", port), "Hello IPv6\n"))
	assert.Regexp(t, `^\('::1', \d+, 0, 0\)$`, nextLine(t, lines))
}

func TestCLISocketserverTCP(t *testing.T) {
	_, addr, lines := startCLI(t, "socketserver-tcp", "-addr", "127.0.0.1:0")
	assert.Equal(t, "Hello World\n", exchangeWith(t, "tcp4", addr, "Hello World\n"))
	assert.True(t, strings.HasPrefix(nextLine(t, lines), "127.0.0.1:"))
}

func TestCLISocketserverUDP(t *testing.T) {
	network, addr, lines := startCLI(t, "socketserver-udp", "-addr", "127.0.0.1:0")
	assert.Equal(t, "udp", network)
	echoDatagram(t, addr, "Hello World\n")
	assert.True(t, strings.HasPrefix(nextLine(t, lines), "127.0.0.1:"))
}

func TestCLIUnixEcho(t *testing.T) {
	path := filepath.Join(t.TempDir(), "domain.sock")
	network, addr, _ := startCLI(t, "unix-echo", "-path", path)
	assert.Equal(t, "unix", network)
	assert.Equal(t, path, addr)
	assert.Equal(t, "Hello\n", exchangeWith(t, "unix", path, "Hello\n"))
}

func TestCLIUnixEchoPathTooLong(t *testing.T) {
	_, stderr := runCLIFail(t, "unix-echo", "-path", "/tmp/"+strings.Repeat("x", 200))
	assert.Contains(t, stderr, "sun_path allows at most 107")
}

func TestCLIThreadServer(t *testing.T) {
	_, addr, _ := startCLI(t, "thread-server", "-addr", "127.0.0.1:0", "-max", "4")
	a, err := net.Dial("tcp4", addr)
	require.NoError(t, err)
	defer a.Close()
	assert.Equal(t, "Ker Ker\n", exchangeWith(t, "tcp4", addr, "Ker Ker\n"), "a second client is served while the first is open")
}
