package main

import (
	"bytes"
	"context"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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

	c, err := net.Dial("udp", addr)
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.SetDeadline(time.Now().Add(10*time.Second)))
	_, err = c.Write([]byte("Hello World\n"))
	require.NoError(t, err)
	buf := make([]byte, 1024)
	n, err := c.Read(buf)
	require.NoError(t, err)
	assert.Equal(t, "Hello World\n", string(buf[:n]))

	select {
	case line := <-lines:
		assert.Contains(t, line, "msg=echoed bytes=12 to="+c.LocalAddr().String())
	case <-time.After(10 * time.Second):
		t.Fatal("udp-echo logged nothing about the echo")
	}
}

func TestCLIUDPSender(t *testing.T) {
	listener, err := net.ListenPacket("udp4", "127.0.0.1:0")
	require.NoError(t, err)
	defer listener.Close()

	out := runCLI(t, "udp-sender", "-to", listener.LocalAddr().String(), "-every", "10ms", "-count", "3", "-msg", "Hi")
	assert.Equal(t, []string{"Hi\n", "Hi\n", "Hi\n"}, readDatagrams(t, listener, 3))
	assert.Equal(t, 3, strings.Count(out, "msg=sent"), out)
}

// Without -count the sender runs until interrupted, and then exits cleanly.
func TestCLIUDPSenderStopsOnSIGINT(t *testing.T) {
	listener, err := net.ListenPacket("udp4", "127.0.0.1:0")
	require.NoError(t, err)
	defer listener.Close()

	cmd := exec.Command(binary, "udp-sender", "-to", listener.LocalAddr().String(), "-every", "10ms")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	assert.Equal(t, []string{"Hello\n", "Hello\n"}, readDatagrams(t, listener, 2))
	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		assert.NoError(t, err, "stderr:\n%s", stderr.String())
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		t.Fatal("udp-sender did not stop within 10 s of SIGINT")
	}
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
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, args := range [][]string{
		{"udp-sender", "-to", "no-port-here"},
		{"udp-sender", "-to", "127.0.0.1:9", "-every", "0s"},
		{"udp-broadcast", "-to", "[::1]:9"},
	} {
		out, err := exec.CommandContext(ctx, binary, args...).CombinedOutput()
		require.Error(t, err, "sockbook %v", args)
		assert.Contains(t, string(out), "sockbook: ", "sockbook %v", args)
	}
	out, _ := exec.CommandContext(ctx, binary, "udp-sender", "-to", "no-port-here").CombinedOutput()
	assert.Contains(t, string(out), `-to "no-port-here"`)
}
