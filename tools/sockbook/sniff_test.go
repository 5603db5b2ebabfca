package main

import (
	"bufio"
	"context"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sockbook/sockbook/internal/syncbuf"
	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/pkg/sniff/snifftest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/icmp"
	"golang.org/x/net/ipv4"
)

func TestSniffIPCLI(t *testing.T) {
	testenv.MustBeRoot(t)
	network, address, lines := startCLI(t, "sniff-ip")
	assert.Equal(t, "ip4:icmp", network)
	assert.Equal(t, "0.0.0.0", address)

	c, err := icmp.ListenPacket("ip4:icmp", "127.0.0.1")
	require.NoError(t, err)
	defer c.Close()
	msg, err := (&icmp.Message{Type: ipv4.ICMPTypeEcho, Body: &icmp.Echo{ID: rand.IntN(1 << 16), Seq: 1, Data: []byte("sockbook")}}).Marshal(nil)
	require.NoError(t, err)
	_, err = c.WriteTo(msg, &net.IPAddr{IP: net.IPv4(127, 0, 0, 1)})
	require.NoError(t, err)
	waitForLine(t, lines, "ICMP line", func(l string) bool { return l == "ICMP: 127.0.0.1 -> 127.0.0.1" })
}

func TestSniffTCPCLI(t *testing.T) {
	testenv.MustBeRoot(t)
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	served := make(chan struct{})
	go func() {
		defer close(served)
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		io.Copy(io.Discard, conn)
	}()
	port := ln.Addr().(*net.TCPAddr).Port
	_, _, lines := startCLI(t, "sniff-tcp", "-port", strconv.Itoa(port))

	conn, err := net.Dial("tcp4", ln.Addr().String())
	require.NoError(t, err)
	_, err = io.WriteString(conn, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
	require.NoError(t, err)
	waitForLine(t, lines, "destination port line", func(l string) bool { return l == "Destination Port: "+strconv.Itoa(port) })
	waitForLine(t, lines, "SYN flag line", func(l string) bool { return l == "SYN: 0" }) // a segment with data is no SYN
	waitForLine(t, lines, "quoted payload", func(l string) bool { return l == `"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"` })
	conn.Close()
	<-served
}

func TestSniffARPCLI(t *testing.T) {
	testenv.MustBeRoot(t)
	v := snifftest.NewVeth(t)

	// The capture runs in side 1's namespace, the way a user would run it.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ip", "netns", "exec", v.Netns[1], binary, "sniff-arp", "-i", v.Link[1], "-count", "2")
	var stderr syncbuf.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	sc := bufio.NewScanner(stdout)
	require.True(t, sc.Scan(), "no output; stderr: %s", stderr.String())
	require.Equal(t, "listening on arp "+v.Link[1], sc.Text())

	var conn net.PacketConn
	require.NoError(t, v.Do(0, func() (err error) {
		conn, err = net.ListenPacket("udp4", v.Addr[0].String()+":0")
		return err
	}))
	defer conn.Close()
	_, err = conn.WriteTo([]byte("who has"), &net.UDPAddr{IP: v.Addr[1].AsSlice(), Port: 9})
	require.NoError(t, err)

	var out strings.Builder
	for sc.Scan() {
		out.WriteString(sc.Text() + "\n")
	}
	require.NoError(t, cmd.Wait(), "stderr: %s", stderr.String())
	got := out.String()
	assert.Contains(t, got, "Dest MAC: ffffffffffff\n")
	assert.Contains(t, got, "Type: 0806\n")
	assert.Contains(t, got, "Opcode: 0001\nSource MAC: ")
	assert.Contains(t, got, "Source IP: "+v.Addr[0].String()+"\n")
	assert.Contains(t, got, "Dest IP: "+v.Addr[1].String()+"\n")
	assert.Contains(t, got, "Opcode: 0002\n")
	assert.Equal(t, 2, strings.Count(got, "--- ARP_HEADER ---"), got)
}

// Without privileges the sniffers say what they need, not just EPERM.
func TestSniffWithoutRootCLI(t *testing.T) {
	testenv.MustBeRoot(t) // to run the binary as another user
	dir, err := os.MkdirTemp("", "sockbook-nobody")
	require.NoError(t, err)
	defer os.RemoveAll(dir)
	require.NoError(t, os.Chmod(dir, 0o755))
	bin := filepath.Join(dir, "sockbook")
	data, err := os.ReadFile(binary)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(bin, data, 0o755))

	for _, slug := range []string{"sniff-ip", "sniff-tcp", "sniff-arp"} {
		cmd := exec.Command(bin, slug)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		out, err := cmd.CombinedOutput()
		require.Error(t, err, "%s ran as nobody: %s", slug, out)
		assert.Contains(t, string(out), "sockbook: "+slug+": raw sockets need root or CAP_NET_RAW")
	}
}

func TestSniffBadFlagsCLI(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"sniff-ip", "-proto", "ospf"}, `sniff-ip: -proto: protocol "ospf": want icmp, tcp, udp or a number from 1 to 254`},
		{[]string{"sniff-tcp", "-port", "70000"}, "sniff-tcp: -port 70000 out of range 0..65535"},
		{[]string{"sniff-arp", "-i", "no-such-if0"}, `sniff-arp: sniff: interface "no-such-if0"`},
	} {
		_, stderr := runCLIFail(t, tc.args...)
		assert.Contains(t, stderr, tc.want)
	}
}
