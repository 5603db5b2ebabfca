package main

import (
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// echoDatagram sends msg to the UDP echo server at address, again each
// 2 s for up to five tries since UDP may lose a datagram, requires msg
// back and returns the address it sent from.
func echoDatagram(t *testing.T, address, msg string) net.Addr {
	t.Helper()
	c, err := net.Dial("udp4", address)
	require.NoError(t, err)
	defer c.Close()
	buf := make([]byte, 64<<10)
	for range 5 {
		_, err := c.Write([]byte(msg))
		require.NoError(t, err)
		require.NoError(t, c.SetReadDeadline(time.Now().Add(2*time.Second)))
		n, err := c.Read(buf)
		if err == nil {
			assert.Equal(t, msg, string(buf[:n]))
			return c.LocalAddr()
		}
	}
	t.Fatalf("no reply from %s", address)
	return nil
}

// readDatagrams reads n datagrams from pc within 10 s.
func readDatagrams(t *testing.T, pc net.PacketConn, n int) []string {
	t.Helper()
	require.NoError(t, pc.SetReadDeadline(time.Now().Add(10*time.Second)))
	buf := make([]byte, 64<<10)
	var got []string
	for range n {
		m, _, err := pc.ReadFrom(buf)
		require.NoError(t, err, "after %d datagrams", len(got))
		got = append(got, string(buf[:m]))
	}
	return got
}

func TestCLIUDPEcho(t *testing.T) {
	network, addr, lines := startCLI(t, "udp-echo", "-addr", "127.0.0.1:0")
	assert.Equal(t, "udp", network)

	from := echoDatagram(t, addr, "Hello World\n")
	assert.Contains(t, nextLine(t, lines), "msg=echoed bytes=12 to="+from.String(), "udp-echo logs the echo")
}

func TestCLIUDPSender(t *testing.T) {
	listener, err := net.ListenPacket("udp4", "127.0.0.1:0")
	require.NoError(t, err)
	defer listener.Close()

	out := runCLI(t, "udp-sender", "-to", listener.LocalAddr().String(), "-every", "10ms", "-count", "3", "-msg", "Hi")
	assert.Equal(t, []string{"Hi\n", "Hi\n", "Hi\n"}, readDatagrams(t, listener, 3))
	assert.Equal(t, 3, strings.Count(out, "msg=sent"), out)
}

// Without -count the sender runs until interrupted (launchCLI's cleanup
// interrupts it), and then exits cleanly.
func TestCLIUDPSenderStopsOnSIGINT(t *testing.T) {
	listener, err := net.ListenPacket("udp4", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { listener.Close() })

	launchCLI(t, "udp-sender", "-to", listener.LocalAddr().String(), "-every", "10ms")
	assert.Equal(t, []string{"Hello\n", "Hello\n"}, readDatagrams(t, listener, 2))
}

func TestCLIUDPBroadcast(t *testing.T) {
	// Linux delivers loopback broadcasts to a wildcard-bound listener.
	listener, err := net.ListenPacket("udp4", "0.0.0.0:0")
	require.NoError(t, err)
	defer listener.Close()
	port := strconv.Itoa(listener.LocalAddr().(*net.UDPAddr).Port)

	before := time.Now().Unix()
	runCLI(t, "udp-broadcast", "-to", "127.255.255.255:"+port, "-every", "10ms", "-count", "2")
	for _, m := range readDatagrams(t, listener, 2) {
		require.Regexp(t, `^\d+\.\d\d\n$`, m)
		sec, err := strconv.ParseInt(strings.Split(m, ".")[0], 10, 64)
		require.NoError(t, err)
		assert.InDelta(t, before, sec, 60, "the timestamp is the current time")
	}
}

func TestCLIUDPBadInput(t *testing.T) {
	for _, args := range [][]string{
		{"udp-sender", "-to", "no-port-here"},
		{"udp-sender", "-to", "127.0.0.1:9", "-every", "0s"},
		{"udp-broadcast", "-to", "[::1]:9"},
	} {
		_, stderr := runCLIFail(t, args...)
		assert.Contains(t, stderr, "sockbook: ", "sockbook %v", args)
	}
	_, stderr := runCLIFail(t, "udp-sender", "-to", "no-port-here")
	assert.Contains(t, stderr, `-to "no-port-here"`)
}
