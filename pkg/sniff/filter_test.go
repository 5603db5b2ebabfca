package sniff

import (
	"net"
	"testing"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// The filters run here in x/net/bpf's interpreter, which follows the
// kernel's classic BPF semantics, on packets gopacket builds; the live
// tests run them in the kernel.

func runFilter(t *testing.T, prog []bpf.Instruction, pkt []byte) bool {
	t.Helper()
	vm, err := bpf.NewVM(prog)
	require.NoError(t, err)
	n, err := vm.Run(pkt)
	require.NoError(t, err)
	return n > 0
}

func TestFilterTCPPort(t *testing.T) {
	build := func(src, dst uint16, opts int, frag uint16) []byte {
		ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, FragOffset: frag,
			SrcIP: net.IPv4(127, 0, 0, 1), DstIP: net.IPv4(127, 0, 0, 1)}
		for range opts { // options move the TCP header: the filter must follow IHL
			ip.Options = append(ip.Options, layers.IPv4Option{OptionType: 1, OptionLength: 1})
		}
		tcp := &layers.TCP{SrcPort: layers.TCPPort(src), DstPort: layers.TCPPort(dst)}
		require.NoError(t, tcp.SetNetworkLayerForChecksum(ip))
		return serialize(t, ip, tcp)
	}
	f := FilterTCPPort(8080)
	assert.True(t, runFilter(t, f, build(8080, 40000, 0, 0)), "source port")
	assert.True(t, runFilter(t, f, build(40000, 8080, 0, 0)), "destination port")
	assert.True(t, runFilter(t, f, build(40000, 8080, 8, 0)), "after options")
	assert.False(t, runFilter(t, f, build(40000, 8081, 0, 0)), "other port")
	assert.False(t, runFilter(t, f, build(40000, 8081, 4, 0)), "other port after options")
	assert.False(t, runFilter(t, f, build(8080, 8080, 0, 100)), "a later fragment has no ports")
}

func TestFilterICMPEcho(t *testing.T) {
	build := func(typ uint8, id uint16) []byte {
		ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolICMPv4,
			SrcIP: net.IPv4(127, 0, 0, 1), DstIP: net.IPv4(127, 0, 0, 1)}
		icmp := &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(typ, 0), Id: id, Seq: 1}
		return serialize(t, ip, icmp)
	}
	f := FilterICMPEcho(0x1234)
	assert.True(t, runFilter(t, f, build(layers.ICMPv4TypeEchoRequest, 0x1234)))
	assert.True(t, runFilter(t, f, build(layers.ICMPv4TypeEchoReply, 0x1234)))
	assert.False(t, runFilter(t, f, build(layers.ICMPv4TypeEchoRequest, 0x1235)), "other id")
	assert.False(t, runFilter(t, f, build(layers.ICMPv4TypeTimestampRequest, 0x1234)), "not an echo")
}

func TestFilterEtherType(t *testing.T) {
	frame := func(typ layers.EthernetType) []byte {
		eth := &layers.Ethernet{DstMAC: make(net.HardwareAddr, 6), SrcMAC: make(net.HardwareAddr, 6), EthernetType: typ}
		return serialize(t, eth, gopacket.Payload(make([]byte, 46)))
	}
	f := FilterEtherType(EtherTypeARP)
	assert.True(t, runFilter(t, f, frame(layers.EthernetTypeARP)))
	assert.False(t, runFilter(t, f, frame(layers.EthernetTypeIPv4)))
	assert.False(t, runFilter(t, f, frame(layers.EthernetTypeIPv6)))
}

func TestAttachFilterRejectsBadPrograms(t *testing.T) {
	testenv.MustBeRoot(t)
	testenv.CheckFDs(t)
	_, err := ListenIP(unix.IPPROTO_ICMP, []bpf.Instruction{})
	assert.ErrorContains(t, err, "sniff: filter: 0 instructions, want 1 to 4096")
	_, err = ListenLink("", EtherTypeARP, []bpf.Instruction{bpf.LoadAbsolute{Off: 0, Size: 3}})
	assert.ErrorContains(t, err, "sniff: filter: ")
}
