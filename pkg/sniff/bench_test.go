package sniff

import (
	"net"
	"testing"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/stretchr/testify/require"
)

// benchDecode reports allocations and runs decode until b is done, failing
// at the first error.
func benchDecode(b *testing.B, decode func() error) {
	b.ReportAllocs()
	for b.Loop() {
		if err := decode(); err != nil {
			b.Fatal(err)
		}
	}
}

// synWithOptions builds a SYN carrying the options Linux sends.
func synWithOptions(b *testing.B) []byte {
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP,
		SrcIP: net.IPv4(127, 0, 0, 1), DstIP: net.IPv4(127, 0, 0, 1)}
	tcp := &layers.TCP{SrcPort: 43988, DstPort: 80, Seq: 1, SYN: true, Window: 65495, Options: []layers.TCPOption{
		{OptionType: layers.TCPOptionKindMSS, OptionData: []byte{0xff, 0xd7}},
		{OptionType: layers.TCPOptionKindSACKPermitted},
		{OptionType: layers.TCPOptionKindTimestamps, OptionData: make([]byte, 8)},
		{OptionType: layers.TCPOptionKindNop},
		{OptionType: layers.TCPOptionKindWindowScale, OptionData: []byte{10}},
	}}
	require.NoError(b, tcp.SetNetworkLayerForChecksum(ip))
	buf := gopacket.NewSerializeBuffer()
	require.NoError(b, gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ip, tcp))
	return buf.Bytes()
}

// BenchmarkParseIPv4TCP decodes a SYN with options by hand.
func BenchmarkParseIPv4TCP(b *testing.B) {
	pkt := synWithOptions(b)
	benchDecode(b, func() error {
		ip, err := ParseIPv4(pkt)
		if err != nil {
			return err
		}
		_, err = ParseTCP(ip.Payload)
		return err
	})
}

// BenchmarkDecodeIPv4TCP decodes the SYN into reused values.
func BenchmarkDecodeIPv4TCP(b *testing.B) {
	pkt := synWithOptions(b)
	var ip IPv4
	var tcp TCP
	benchDecode(b, func() error {
		if err := ip.Decode(pkt); err != nil {
			return err
		}
		return tcp.Decode(ip.Payload)
	})
}

// BenchmarkGopacketIPv4TCP decodes the same SYN with gopacket's layers,
// reusing them as a fast sniffer would, for comparison.
func BenchmarkGopacketIPv4TCP(b *testing.B) {
	pkt := synWithOptions(b)
	var ip layers.IPv4
	var tcp layers.TCP
	benchDecode(b, func() error {
		if err := ip.DecodeFromBytes(pkt, gopacket.NilDecodeFeedback); err != nil {
			return err
		}
		return tcp.DecodeFromBytes(ip.Payload, gopacket.NilDecodeFeedback)
	})
}

// BenchmarkGopacketParserIPv4TCP decodes the SYN with gopacket's
// DecodingLayerParser, which the bench tool's decode target compares with.
func BenchmarkGopacketParserIPv4TCP(b *testing.B) {
	pkt := synWithOptions(b)
	var ip layers.IPv4
	var tcp layers.TCP
	p := gopacket.NewDecodingLayerParser(layers.LayerTypeIPv4, &ip, &tcp)
	found := make([]gopacket.LayerType, 0, 2)
	benchDecode(b, func() error {
		return p.DecodeLayers(pkt, &found)
	})
}

// arpRequest builds a who-has request for 192.168.0.2.
func arpRequest(b *testing.B) []byte {
	req := &layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4,
		HwAddressSize: 6, ProtAddressSize: 4, Operation: layers.ARPRequest,
		SourceHwAddress: []byte{0x02, 0, 0, 0, 0, 1}, SourceProtAddress: []byte{192, 168, 0, 1},
		DstHwAddress: make([]byte, 6), DstProtAddress: []byte{192, 168, 0, 2}}
	buf := gopacket.NewSerializeBuffer()
	require.NoError(b, gopacket.SerializeLayers(buf, gopacket.SerializeOptions{}, req))
	return buf.Bytes()
}

// BenchmarkParseARP decodes an ARP request by hand.
func BenchmarkParseARP(b *testing.B) {
	pkt := arpRequest(b)
	benchDecode(b, func() error {
		_, err := ParseARP(pkt)
		return err
	})
}

// BenchmarkDecodeARP decodes the request into a reused value, the
// allocation-free path the bench tool's decode target compares with
// gopacket.
func BenchmarkDecodeARP(b *testing.B) {
	pkt := arpRequest(b)
	var arp ARP
	benchDecode(b, func() error {
		return arp.Decode(pkt)
	})
}

// BenchmarkDecodeEthernetARP decodes a whole ARP frame, Ethernet header
// first, into reused values, as the sniff-arp capture loop would.
func BenchmarkDecodeEthernetARP(b *testing.B) {
	frame := serializeFrame(b)
	var eth Ethernet
	var arp ARP
	benchDecode(b, func() error {
		if err := eth.Decode(frame); err != nil {
			return err
		}
		return arp.Decode(eth.Payload)
	})
}

// BenchmarkGopacketParserEthernetARP decodes the same frame with
// gopacket's DecodingLayerParser.
func BenchmarkGopacketParserEthernetARP(b *testing.B) {
	frame := serializeFrame(b)
	var eth layers.Ethernet
	var arp layers.ARP
	p := gopacket.NewDecodingLayerParser(layers.LayerTypeEthernet, &eth, &arp)
	// The frame is padded to Ethernet's minimum size; the padding after
	// the ARP packet is payload that no layer here decodes.
	p.IgnoreUnsupported = true
	found := make([]gopacket.LayerType, 0, 2)
	benchDecode(b, func() error {
		return p.DecodeLayers(frame, &found)
	})
}

// serializeFrame builds a broadcast Ethernet frame carrying the request of
// arpRequest.
func serializeFrame(b *testing.B) []byte {
	eth := &layers.Ethernet{DstMAC: net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
		SrcMAC: net.HardwareAddr{0x02, 0, 0, 0, 0, 1}, EthernetType: layers.EthernetTypeARP}
	buf := gopacket.NewSerializeBuffer()
	require.NoError(b, gopacket.SerializeLayers(buf, gopacket.SerializeOptions{}, eth, gopacket.Payload(arpRequest(b))))
	return buf.Bytes()
}

// BenchmarkGopacketParserARP decodes the same request with gopacket's
// DecodingLayerParser.
func BenchmarkGopacketParserARP(b *testing.B) {
	pkt := arpRequest(b)
	var arp layers.ARP
	p := gopacket.NewDecodingLayerParser(layers.LayerTypeARP, &arp)
	found := make([]gopacket.LayerType, 0, 1)
	benchDecode(b, func() error {
		return p.DecodeLayers(pkt, &found)
	})
}
