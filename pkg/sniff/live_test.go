//go:build linux

package sniff

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/pkg/sniff/snifftest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/icmp"
	"golang.org/x/net/ipv4"
	"golang.org/x/sys/unix"
)

// These tests capture real traffic they make themselves: on loopback, or
// between two network namespaces they create. They log the bytes of the
// first packet of each kind, which is where the examples' packets came
// from.

func TestListenNeedsValidArguments(t *testing.T) {
	for _, p := range []int{-1, 0, 255, 256} {
		_, err := ListenIP(p, nil)
		assert.ErrorContains(t, err, "IP protocol "+strconv.Itoa(p)+" out of range", "protocol %d", p)
	}
	_, err := ListenLink("no-such-if0", EtherTypeARP, nil)
	assert.ErrorContains(t, err, `interface "no-such-if0"`)
}

func TestICMPEchoCapture(t *testing.T) {
	testenv.MustBeRoot(t)
	testenv.CheckFDs(t)
	id := uint16(rand.UintN(1 << 16))
	s, err := ListenIP(unix.IPPROTO_ICMP, FilterICMPEcho(id))
	require.NoError(t, err)
	defer s.Close()

	ping, err := icmp.ListenPacket("ip4:icmp", "127.0.0.1")
	require.NoError(t, err)
	defer ping.Close()
	echo := icmp.Message{Type: ipv4.ICMPTypeEcho, Body: &icmp.Echo{ID: int(id), Seq: 1, Data: []byte("sockbook")}}
	msg, err := echo.Marshal(nil)
	require.NoError(t, err)
	_, err = ping.WriteTo(msg, &net.IPAddr{IP: net.IPv4(127, 0, 0, 1)})
	require.NoError(t, err)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	seen := map[ipv4.ICMPType]bool{}
	buf := make([]byte, 65535)
	for !seen[ipv4.ICMPTypeEcho] || !seen[ipv4.ICMPTypeEchoReply] {
		n, err := s.ReadPacket(ctx, buf)
		require.NoError(t, err, "echo request and reply not both seen: %v", seen)
		ip, _ := checkIPv4Packet(t, buf[:n])
		assert.Equal(t, "ICMP: 127.0.0.1 -> 127.0.0.1", ip.String())
		m, err := icmp.ParseMessage(1, ip.Payload)
		require.NoError(t, err)
		e, ok := m.Body.(*icmp.Echo)
		// The kernel filter lets through only this test's pings.
		require.True(t, ok, "not an echo: %v", m.Type)
		require.Equal(t, int(id), e.ID)
		typ := m.Type.(ipv4.ICMPType)
		if !seen[typ] {
			t.Logf("captured %v: % x", typ, buf[:n])
		}
		seen[typ] = true
	}
}

func TestTCPHTTPCapture(t *testing.T) {
	testenv.MustBeRoot(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello")
	}))
	defer srv.Close()
	port := uint16(srv.Listener.Addr().(*net.TCPAddr).Port)
	s, err := ListenIP(unix.IPPROTO_TCP, FilterTCPPort(port))
	require.NoError(t, err)
	defer s.Close()

	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := client.Get(srv.URL + "/")
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	require.Equal(t, "hello", string(body))

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var sawSYN, sawGET bool
	buf := make([]byte, 65535)
	for !sawSYN || !sawGET {
		n, err := s.ReadPacket(ctx, buf)
		require.NoError(t, err, "SYN seen %v, GET seen %v", sawSYN, sawGET)
		ip, tcp := checkIPv4Packet(t, buf[:n])
		require.Equal(t, ProtocolTCP, ip.Protocol)
		require.NotNil(t, tcp)
		require.True(t, tcp.SrcPort == port || tcp.DstPort == port, "filter let through ports %d -> %d", tcp.SrcPort, tcp.DstPort)
		if tcp.DstPort == port && tcp.Flags == SYN && !sawSYN {
			sawSYN = true
			t.Logf("captured SYN: % x", buf[:n])
			assert.NotEmpty(t, tcp.Options, "Linux sends MSS, SACK-permitted, timestamps and window scale")
		}
		if tcp.DstPort == port && bytes.HasPrefix(tcp.Payload, []byte("GET / HTTP/1.1\r\n")) {
			sawGET = true
			assert.Contains(t, tcp.Dump(), "PSH: 8\nACK: 16\n")
		}
	}
}

func TestARPCaptureInNetns(t *testing.T) {
	testenv.MustBeRoot(t)
	v := snifftest.NewVeth(t)
	testenv.CheckFDs(t)

	// The side-1 capture asks for every frame but its filter keeps ARP
	// only, so the IPv4 datagram that triggers ARP must not show up.
	var s *Sniffer
	require.NoError(t, v.Do(1, func() (err error) {
		s, err = ListenLink(v.Link[1], unix.ETH_P_ALL, FilterEtherType(EtherTypeARP))
		return err
	}))
	defer s.Close()
	// Bound to ETH_P_ARP instead, a socket sees only incoming ARP frames.
	var in *Sniffer
	require.NoError(t, v.Do(1, func() (err error) {
		in, err = ListenLink(v.Link[1], EtherTypeARP, nil)
		return err
	}))
	defer in.Close()
	var conn net.PacketConn
	require.NoError(t, v.Do(0, func() (err error) {
		conn, err = net.ListenPacket("udp4", v.Addr[0].String()+":0")
		return err
	}))
	defer conn.Close()
	// Side 0 does not know side 1's MAC address yet: it asks with ARP.
	_, err := conn.WriteTo([]byte("who has"), &net.UDPAddr{IP: v.Addr[1].AsSlice(), Port: 9})
	require.NoError(t, err)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var request, reply *ARP
	for request == nil || reply == nil {
		buf := make([]byte, 65535) // request and reply alias their buffers
		n, err := s.ReadPacket(ctx, buf)
		require.NoError(t, err, "request seen %v, reply seen %v", request != nil, reply != nil)
		eth, arp := checkEthernetFrame(t, buf[:n])
		require.Equal(t, uint16(EtherTypeARP), eth.EtherType, "filter let through EtherType %#04x", eth.EtherType)
		require.NotNil(t, arp)
		// Side 1 may ask its own questions later; keep side 0's request and
		// the reply to it.
		switch {
		case request == nil && arp.Op == ARPRequest && bytes.Equal(arp.SenderProtocolAddr, v.Addr[0].AsSlice()):
			t.Logf("captured ARP request: % x", buf[:n])
			request = arp
			assert.Equal(t, "ff:ff:ff:ff:ff:ff", eth.Dst.String(), "a request is broadcast")
		case arp.Op == ARPReply && bytes.Equal(arp.SenderProtocolAddr, v.Addr[1].AsSlice()):
			reply = arp
		}
	}
	assert.Equal(t, v.Addr[1].AsSlice(), request.TargetProtocolAddr)

	buf := make([]byte, 65535)
	n, err := in.ReadPacket(ctx, buf)
	require.NoError(t, err)
	_, arp := checkEthernetFrame(t, buf[:n])
	require.NotNil(t, arp)
	assert.Equal(t, uint16(ARPRequest), arp.Op, "the first incoming ARP frame is side 0's request")
	assert.Equal(t, v.Addr[0].AsSlice(), arp.SenderProtocolAddr)
	assert.Equal(t, v.Addr[1].AsSlice(), reply.SenderProtocolAddr)
	assert.Equal(t, request.SenderHardwareAddr, reply.TargetHardwareAddr)
	assert.Equal(t, uint16(ARPHardwareEthernet), request.HardwareType)
	assert.Equal(t, uint16(EtherTypeIPv4), request.ProtocolType)
}

func TestReadPacketStopsWithContext(t *testing.T) {
	testenv.MustBeRoot(t)
	testenv.CheckFDs(t)
	// Protocol 253 is reserved for experiments: nothing on this host sends it.
	s, err := ListenIP(253, nil)
	require.NoError(t, err)
	defer s.Close()
	buf := make([]byte, 100)

	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		time.Sleep(50 * time.Millisecond)
		cancel()
	}()
	_, err = s.ReadPacket(ctx, buf)
	assert.ErrorIs(t, err, context.Canceled)

	// A context that ended before the call returns at once, and the earlier
	// wakeup does not spill over into a later call with a live context.
	_, err = s.ReadPacket(ctx, buf)
	assert.ErrorIs(t, err, context.Canceled)
	short, cancel2 := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel2()
	_, err = s.ReadPacket(short, buf)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestCloseUnblocksReadPacket(t *testing.T) {
	testenv.MustBeRoot(t)
	testenv.CheckFDs(t)
	s, err := ListenIP(253, nil)
	require.NoError(t, err)
	errc := make(chan error, 1)
	go func() {
		_, err := s.ReadPacket(context.Background(), make([]byte, 100))
		errc <- err
	}()
	time.Sleep(50 * time.Millisecond)
	require.NoError(t, s.Close())
	err = <-errc
	assert.True(t, errors.Is(err, os.ErrClosed), "got %v", err)
}
