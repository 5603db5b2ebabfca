package sniff

import (
	"encoding/binary"
	"math/rand/v2"
	"net"
	"net/netip"
	"testing"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The hand-written decoders are checked field by field against gopacket's
// layers, which serve as the oracle: on packets gopacket builds from random
// field values here, and on the packets the live tests capture.

// assertIPv4 checks every field of got against gopacket's decoding of the
// same bytes.
func assertIPv4(t *testing.T, want *layers.IPv4, got *IPv4) {
	t.Helper()
	assert.Equal(t, want.Version, got.Version, "Version")
	assert.Equal(t, want.IHL, got.IHL, "IHL")
	assert.Equal(t, want.TOS, got.TOS, "TOS")
	assert.Equal(t, want.Length, got.TotalLength, "TotalLength")
	assert.Equal(t, want.Id, got.ID, "ID")
	assert.Equal(t, uint8(want.Flags), uint8(got.Flags), "Flags")
	assert.Equal(t, want.FragOffset, got.FragOffset, "FragOffset")
	assert.Equal(t, want.TTL, got.TTL, "TTL")
	assert.Equal(t, uint8(want.Protocol), uint8(got.Protocol), "Protocol")
	assert.Equal(t, want.Checksum, got.Checksum, "Checksum")
	assert.Equal(t, want.SrcIP.String(), got.Src.String(), "Src")
	assert.Equal(t, want.DstIP.String(), got.Dst.String(), "Dst")
	assert.Equal(t,
		options(want.Options, func(o layers.IPv4Option) option { return option{o.OptionType, o.OptionLength, o.OptionData} }),
		options(got.Options, func(o IPv4Option) option { return option(o) }),
		"Options")
	assert.Equal(t, want.Payload, got.Payload, "Payload")
}

// assertTCP checks every field of got against gopacket's decoding.
func assertTCP(t *testing.T, want *layers.TCP, got *TCP) {
	t.Helper()
	assert.Equal(t, uint16(want.SrcPort), got.SrcPort, "SrcPort")
	assert.Equal(t, uint16(want.DstPort), got.DstPort, "DstPort")
	assert.Equal(t, want.Seq, got.Seq, "Seq")
	assert.Equal(t, want.Ack, got.Ack, "Ack")
	assert.Equal(t, want.DataOffset, got.DataOffset, "DataOffset")
	assert.Equal(t, want.NS, got.Reserved&1 != 0, "NS")
	for _, f := range []struct {
		bit  TCPFlags
		want bool
	}{{FIN, want.FIN}, {SYN, want.SYN}, {RST, want.RST}, {PSH, want.PSH},
		{ACK, want.ACK}, {URG, want.URG}, {ECE, want.ECE}, {CWR, want.CWR}} {
		assert.Equal(t, f.want, got.Flags&f.bit != 0, "flag %v", f.bit)
	}
	assert.Equal(t, want.Window, got.Window, "Window")
	assert.Equal(t, want.Checksum, got.Checksum, "Checksum")
	assert.Equal(t, want.Urgent, got.Urgent, "Urgent")
	assert.Equal(t,
		options(want.Options, func(o layers.TCPOption) option { return option{uint8(o.OptionType), o.OptionLength, o.OptionData} }),
		options(got.Options, func(o TCPOption) option { return option{o.Kind, o.Length, o.Data} }),
		"Options")
	assert.Equal(t, nilIfEmpty(want.Payload), nilIfEmpty(got.Payload), "Payload")
}

// assertEthernet checks every field of got against gopacket's decoding.
func assertEthernet(t *testing.T, want *layers.Ethernet, got *Ethernet) {
	t.Helper()
	assert.Equal(t, want.DstMAC, got.Dst, "Dst")
	assert.Equal(t, want.SrcMAC, got.Src, "Src")
	assert.Equal(t, uint16(want.EthernetType), got.EtherType, "EtherType")
	assert.Equal(t, want.Payload, got.Payload, "Payload")
}

// assertARP checks every field of got against gopacket's decoding.
func assertARP(t *testing.T, want *layers.ARP, got *ARP) {
	t.Helper()
	assert.Equal(t, uint16(want.AddrType), got.HardwareType, "HardwareType")
	assert.Equal(t, uint16(want.Protocol), got.ProtocolType, "ProtocolType")
	assert.Equal(t, want.HwAddressSize, got.HardwareLen, "HardwareLen")
	assert.Equal(t, want.ProtAddressSize, got.ProtocolLen, "ProtocolLen")
	assert.Equal(t, want.Operation, got.Op, "Op")
	assert.Equal(t, want.SourceHwAddress, []byte(got.SenderHardwareAddr), "SenderHardwareAddr")
	assert.Equal(t, want.SourceProtAddress, got.SenderProtocolAddr, "SenderProtocolAddr")
	assert.Equal(t, want.DstHwAddress, []byte(got.TargetHardwareAddr), "TargetHardwareAddr")
	assert.Equal(t, want.DstProtAddress, got.TargetProtocolAddr, "TargetProtocolAddr")
}

// option is an IPv4 or TCP option as both this package and gopacket hold
// it, so that their lists of options compare as one value.
type option struct {
	Type, Length uint8
	Data         []byte
}

// options converts opts with as, making empty data nil, since gopacket
// and the decoders here disagree on that only.
func options[O any](opts []O, as func(O) option) []option {
	out := make([]option, len(opts))
	for i, o := range opts {
		out[i] = as(o)
		out[i].Data = nilIfEmpty(out[i].Data)
	}
	return out
}

func nilIfEmpty(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

// longIPv4TCP is an IPv4 packet with the longest headers there are, 40
// bytes of options each (NOPs, so as many options as fit), carrying TCP
// and a payload longer than the tests compare. Reused values are filled
// from it before each decode they are checked on, so every field the next
// decode fails to replace shows up as stale.
func longIPv4TCP() []byte {
	const ipHeader, tcpHeader, payload = 60, 60, 1000
	b := make([]byte, ipHeader+tcpHeader+payload)
	for i := range b {
		b[i] = 0x01 // NOP in both option spaces
	}
	b[0] = 0x4f // version 4, IHL 15
	binary.BigEndian.PutUint16(b[2:4], uint16(len(b)))
	b[6], b[7] = 0, 0 // not a fragment
	b[9] = uint8(ProtocolTCP)
	b[ipHeader+12] = 15 << 4 // data offset 15
	return b
}

// checkIPv4Packet decodes the IPv4 packet b with both decoders and compares
// them, down to TCP when the packet carries TCP. It returns the hand-written
// decodings.
func checkIPv4Packet(t *testing.T, b []byte) (*IPv4, *TCP) {
	t.Helper()
	pkt := gopacket.NewPacket(b, layers.LayerTypeIPv4, gopacket.NoCopy)
	want, ok := pkt.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
	require.True(t, ok, "gopacket cannot decode % x: %v", b, pkt.ErrorLayer())
	ip, err := ParseIPv4(b)
	require.NoError(t, err)
	assertIPv4(t, want, ip)
	// Decoding into a value that held a longer packet must leave nothing
	// of the old one.
	long := longIPv4TCP()
	var used IPv4
	var usedTCP TCP
	require.NoError(t, used.Decode(long))
	require.NoError(t, usedTCP.Decode(used.Payload))
	require.NoError(t, used.Decode(b))
	assertIPv4(t, want, &used)
	if ip.Protocol != ProtocolTCP || ip.Flags&IPv4MoreFragments != 0 || ip.FragOffset != 0 {
		return ip, nil // only a whole datagram holds a whole TCP segment
	}
	wantTCP, ok := pkt.Layer(layers.LayerTypeTCP).(*layers.TCP)
	require.True(t, ok, "gopacket cannot decode TCP in % x: %v", b, pkt.ErrorLayer())
	tcp, err := ParseTCP(ip.Payload)
	require.NoError(t, err)
	assertTCP(t, wantTCP, tcp)
	require.NoError(t, usedTCP.Decode(used.Payload))
	assertTCP(t, wantTCP, &usedTCP)
	return ip, tcp
}

// longARPFrame is an Ethernet frame carrying an ARP packet with 255-byte
// addresses, longer than any the tests compare, and trailing bytes. The
// reused values are filled from it before each decode they are checked on,
// so every field the next decode fails to replace shows up as stale.
func longARPFrame() []byte {
	b := make([]byte, ethernetHeader+arpFixed+4*255+64)
	for i := range b {
		b[i] = 0xa5
	}
	b[12], b[13] = 0x08, 0x06 // EtherTypeARP
	b[ethernetHeader+4], b[ethernetHeader+5] = 255, 255
	return b
}

// checkEthernetFrame decodes the frame b with both decoders and compares
// them, down to ARP when the frame carries ARP: with ParseEthernet and
// ParseARP, and with Decode into values that last held a longer frame.
func checkEthernetFrame(t *testing.T, b []byte) (*Ethernet, *ARP) {
	t.Helper()
	pkt := gopacket.NewPacket(b, layers.LayerTypeEthernet, gopacket.NoCopy)
	want, ok := pkt.Layer(layers.LayerTypeEthernet).(*layers.Ethernet)
	require.True(t, ok, "gopacket cannot decode % x", b)
	eth, err := ParseEthernet(b)
	require.NoError(t, err)
	assertEthernet(t, want, eth)

	var usedEth Ethernet
	var usedARP ARP
	long := longARPFrame()
	require.NoError(t, usedEth.Decode(long))
	require.NoError(t, usedARP.Decode(usedEth.Payload))
	require.NoError(t, usedEth.Decode(b))
	assertEthernet(t, want, &usedEth)
	if eth.EtherType != EtherTypeARP {
		return eth, nil
	}
	wantARP, ok := pkt.Layer(layers.LayerTypeARP).(*layers.ARP)
	require.True(t, ok, "gopacket cannot decode ARP in % x: %v", b, pkt.ErrorLayer())
	arp, err := ParseARP(eth.Payload)
	require.NoError(t, err)
	assertARP(t, wantARP, arp)
	require.NoError(t, usedARP.Decode(usedEth.Payload))
	assertARP(t, wantARP, &usedARP)
	return eth, arp
}

func randBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// randIPv4Options returns random IPv4 options filling a multiple of four
// bytes, at most 40: NOPs, type-length-value options, sometimes an End of
// Option List.
func randIPv4Options(r *rand.Rand) []layers.IPv4Option {
	var opts []layers.IPv4Option
	size := 0
	limit := 4 * r.IntN(11)
	for size < limit {
		room := limit - size
		switch {
		case room >= 3 && r.IntN(3) > 0:
			// gopacket rejects option length 2, though RFC 791 allows it.
			n := 3 + r.IntN(room-2)
			typ := uint8(2 + r.IntN(254))
			opts = append(opts, layers.IPv4Option{OptionType: typ, OptionLength: uint8(n), OptionData: randBytes(r, n-2)})
			size += n
		case r.IntN(4) == 0:
			opts = append(opts, layers.IPv4Option{OptionType: 0, OptionLength: 1})
			// gopacket's serializer writes no padding; zero bytes do.
			for ; size+1 < limit; size++ {
				opts = append(opts, layers.IPv4Option{OptionType: 0, OptionLength: 1})
			}
			size++
		default:
			opts = append(opts, layers.IPv4Option{OptionType: 1, OptionLength: 1})
			size++
		}
	}
	return opts
}

// randTCPOptions returns random TCP options totalling at most 40 bytes with
// the padding gopacket adds.
func randTCPOptions(r *rand.Rand) []layers.TCPOption {
	var opts []layers.TCPOption
	size, limit := 0, r.IntN(37)
	for size < limit {
		room := limit - size
		if room >= 2 && r.IntN(3) > 0 {
			n := 2 + r.IntN(min(room-1, 12))
			kind := layers.TCPOptionKind(2 + r.IntN(254))
			opts = append(opts, layers.TCPOption{OptionType: kind, OptionLength: uint8(n), OptionData: randBytes(r, n-2)})
			size += n
			continue
		}
		opts = append(opts, layers.TCPOption{OptionType: layers.TCPOptionKindNop, OptionLength: 1})
		size++
	}
	return opts
}

func randAddr4(r *rand.Rand) net.IP {
	return net.IP(randBytes(r, 4))
}

func serialize(t *testing.T, ls ...gopacket.SerializableLayer) []byte {
	t.Helper()
	buf := gopacket.NewSerializeBuffer()
	require.NoError(t, gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...))
	return buf.Bytes()
}

func TestIPv4AndTCPMatchGopacket(t *testing.T) {
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 0))
	for range 2000 {
		ip := &layers.IPv4{
			Version:    4,
			TOS:        uint8(r.Uint32()),
			Id:         uint16(r.Uint32()),
			Flags:      layers.IPv4Flag(r.IntN(8)),
			TTL:        uint8(r.Uint32()),
			Protocol:   layers.IPProtocolTCP,
			SrcIP:      randAddr4(r),
			DstIP:      randAddr4(r),
			Options:    randIPv4Options(r),
			FragOffset: 0,
		}
		tcp := &layers.TCP{
			SrcPort: layers.TCPPort(r.Uint32()), DstPort: layers.TCPPort(r.Uint32()),
			Seq: r.Uint32(), Ack: r.Uint32(),
			FIN: r.IntN(2) == 0, SYN: r.IntN(2) == 0, RST: r.IntN(2) == 0, PSH: r.IntN(2) == 0,
			ACK: r.IntN(2) == 0, URG: r.IntN(2) == 0, ECE: r.IntN(2) == 0, CWR: r.IntN(2) == 0,
			NS:      r.IntN(2) == 0,
			Window:  uint16(r.Uint32()),
			Urgent:  uint16(r.Uint32()),
			Options: randTCPOptions(r),
		}
		if r.IntN(5) == 0 {
			// A later fragment: the payload is not a TCP header.
			ip.FragOffset = uint16(1 + r.IntN(0x1fff))
		}
		require.NoError(t, tcp.SetNetworkLayerForChecksum(ip))
		b := serialize(t, ip, tcp, gopacket.Payload(randBytes(r, r.IntN(100))))
		gotIP, gotTCP := checkIPv4Packet(t, b)
		if ip.FragOffset == 0 && ip.Flags&layers.IPv4MoreFragments == 0 {
			require.NotNil(t, gotTCP)
		} else {
			assert.Nil(t, gotTCP)
		}
		assert.Equal(t, netip.AddrFrom4([4]byte(ip.SrcIP)), gotIP.Src)
		if t.Failed() {
			t.Fatalf("packet % x", b)
		}
	}
}

func TestEthernetAndARPMatchGopacket(t *testing.T) {
	seed := rand.Uint64()
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 0))
	for range 2000 {
		hln, pln := 6, 4
		if r.IntN(4) == 0 { // other link and network layers, such as InfiniBand or IPv6
			hln, pln = r.IntN(20), r.IntN(20)
		}
		eth := &layers.Ethernet{
			DstMAC:       net.HardwareAddr(randBytes(r, 6)),
			SrcMAC:       net.HardwareAddr(randBytes(r, 6)),
			EthernetType: layers.EthernetTypeARP,
		}
		arp := &layers.ARP{
			AddrType:          layers.LinkType(r.Uint32()),
			Protocol:          layers.EthernetType(r.Uint32()),
			Operation:         uint16(r.Uint32()),
			SourceHwAddress:   randBytes(r, hln),
			SourceProtAddress: randBytes(r, pln),
			DstHwAddress:      randBytes(r, hln),
			DstProtAddress:    randBytes(r, pln),
		}
		b := serialize(t, eth, arp, gopacket.Payload(make([]byte, r.IntN(20))))
		_, got := checkEthernetFrame(t, b)
		require.NotNil(t, got)
		if t.Failed() {
			t.Fatalf("frame % x", b)
		}
	}
}
