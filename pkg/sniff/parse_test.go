package sniff

import (
	"fmt"
	"net"
	"testing"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// header20 returns a valid 20-byte IPv4 header carrying payload bytes of
// protocol 6, to be broken by the cases below.
func header20(ihl uint8, total uint16) []byte {
	return []byte{
		0x40 | ihl, 0, byte(total >> 8), byte(total), 0, 1, 0x40, 0, 64, 6, 0, 0,
		127, 0, 0, 1, 127, 0, 0, 2,
	}
}

// errorCase is a malformed input and the error its decoder must return.
type errorCase struct {
	name string
	in   []byte
	want string
}

// checkErrors runs each case through parse, which must return the case's
// error and no header.
func checkErrors[H any](t *testing.T, parse func([]byte) (*H, error), cases []errorCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h, err := parse(tc.in)
			assert.EqualError(t, err, tc.want)
			assert.Nil(t, h)
		})
	}
}

func TestParseIPv4Errors(t *testing.T) {
	v6 := header20(5, 20)
	v6[0] = 0x65
	withOpts := func(opts ...byte) []byte {
		b := header20(uint8(5+len(opts)/4), uint16(20+len(opts)))
		return append(b, opts...)
	}
	checkErrors(t, ParseIPv4, []errorCase{
		{"empty", nil, "ipv4: 0 bytes < 20-byte minimum header"},
		{"short", header20(5, 20)[:19], "ipv4: 19 bytes < 20-byte minimum header"},
		{"version", v6, "ipv4: version 6, want 4"},
		{"IHL", header20(4, 20), "ipv4: header length 4 words < 5"},
		{"IHL beyond data", header20(6, 24), "ipv4: header length 24 bytes > 20 bytes of packet"},
		{"total < header", header20(5, 19), "ipv4: total length 19 < header length 20"},
		{"truncated", header20(5, 40), "ipv4: total length 40 > 20 bytes of packet (truncated)"},
		{"option without length", withOpts(1, 1, 1, 7), "ipv4: option type 7 at offset 3: no length byte"},
		{"option length 1", withOpts(7, 1, 0, 0), "ipv4: option type 7 at offset 0: length 1 < 2"},
		{"option overruns", withOpts(1, 7, 4, 0), "ipv4: option type 7 at offset 1: length 4 overruns the 4-byte option area"},
	})
}

func TestParseIPv4TrimsLinkPadding(t *testing.T) {
	// A minimum Ethernet frame pads a short packet; TotalLength marks its end.
	b := append(header20(5, 24), 1, 2, 3, 4, 0, 0, 0, 0)
	h, err := ParseIPv4(b)
	require.NoError(t, err)
	assert.Equal(t, []byte{1, 2, 3, 4}, h.Payload)
}

func TestParseIPv4OptionLength2(t *testing.T) {
	// RFC 791 counts type and length in an option's length, so 2 is the
	// smallest valid one: an option with no data.
	b := append(header20(6, 24), 0x07, 2, 1, 0)
	h, err := ParseIPv4(b)
	require.NoError(t, err)
	assert.Equal(t, []IPv4Option{{Type: 7, Length: 2, Data: []byte{}}, {Type: 1, Length: 1}, {Type: 0, Length: 1}}, h.Options)
}

func TestParseTCPErrors(t *testing.T) {
	seg := func(doff uint8, opts ...byte) []byte {
		b := make([]byte, 20, 20+len(opts))
		b[12] = doff << 4
		return append(b, opts...)
	}
	checkErrors(t, ParseTCP, []errorCase{
		{"empty", nil, "tcp: 0 bytes < 20-byte minimum header"},
		{"short", seg(5)[:12], "tcp: 12 bytes < 20-byte minimum header"},
		{"data offset", seg(4), "tcp: data offset 4 words < 5"},
		{"offset beyond data", seg(6), "tcp: data offset 24 bytes > 20 bytes of segment"},
		{"option without length", seg(6, 1, 1, 1, 2), "tcp: option kind 2 at offset 3: no length byte"},
		{"option length 0", seg(6, 2, 0, 0, 0), "tcp: option kind 2 at offset 0: length 0 < 2"},
		{"option overruns", seg(6, 2, 8, 0, 0), "tcp: option kind 2 at offset 0: length 8 overruns the 4-byte option area"},
	})
}

func TestParseEthernetAndARPErrors(t *testing.T) {
	checkErrors(t, ParseEthernet, []errorCase{
		{"short", make([]byte, 13), "ethernet: 13 bytes < 14-byte header"},
	})
	a := []byte{0, 1, 8, 0, 6, 4, 0, 1}
	checkErrors(t, ParseARP, []errorCase{
		{"short fixed header", make([]byte, 7), "arp: 7 bytes < 8-byte fixed header"},
		{"short addresses", append(a, make([]byte, 19)...), "arp: 27 bytes < 28 needed for 6-byte hardware and 4-byte protocol addresses"},
		// Address lengths are bytes, so their sum can pass 255 without wrapping.
		{"long addresses", []byte{0, 1, 8, 0, 255, 255, 0, 1}, "arp: 8 bytes < 1028 needed for 255-byte hardware and 255-byte protocol addresses"},
	})
}

// Every prefix of a valid packet is either a valid packet or an error:
// truncation never panics and never reads past the end.
func TestTruncationNeverPanics(t *testing.T) {
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP,
		SrcIP: net.IPv4(127, 0, 0, 1), DstIP: net.IPv4(127, 0, 0, 2),
		Options: []layers.IPv4Option{{OptionType: 1, OptionLength: 1}, {OptionType: 7, OptionLength: 3, OptionData: []byte{4}}}}
	tcp := &layers.TCP{SrcPort: 1, DstPort: 2, SYN: true, Options: []layers.TCPOption{
		{OptionType: layers.TCPOptionKindMSS, OptionData: []byte{0xff, 0xd7}},
		{OptionType: layers.TCPOptionKindSACKPermitted}}}
	require.NoError(t, tcp.SetNetworkLayerForChecksum(ip))
	syn := serialize(t, ip, tcp, gopacket.Payload("GET"))
	arp := serialize(t, &layers.Ethernet{DstMAC: make(net.HardwareAddr, 6), SrcMAC: make(net.HardwareAddr, 6), EthernetType: layers.EthernetTypeARP},
		&layers.ARP{AddrType: 1, Protocol: 0x800, Operation: 1,
			SourceHwAddress: make([]byte, 6), SourceProtAddress: make([]byte, 4),
			DstHwAddress: make([]byte, 6), DstProtAddress: make([]byte, 4)})
	for _, pkt := range [][]byte{syn, arp} {
		for n := range len(pkt) {
			p := pkt[:n:n]
			if ip, err := ParseIPv4(p); err == nil {
				_, _ = ParseTCP(ip.Payload)
			}
			_, _ = ParseTCP(p)
			if eth, err := ParseEthernet(p); err == nil {
				_, _ = ParseARP(eth.Payload)
			}
			_, _ = ParseARP(p)
		}
	}
	_, err := ParseIPv4(syn[:len(syn)-1])
	assert.EqualError(t, err, fmt.Sprintf("ipv4: total length %d > %d bytes of packet (truncated)", len(syn), len(syn)-1))
	h, err := ParseIPv4(syn)
	require.NoError(t, err)
	_, err = ParseTCP(h.Payload[:27])
	assert.EqualError(t, err, "tcp: data offset 28 bytes > 27 bytes of segment")
}

func TestFlagsAndProtocolString(t *testing.T) {
	assert.Equal(t, "SYN|ACK", (SYN | ACK).String())
	assert.Equal(t, "FIN|SYN|RST|PSH|ACK|URG|ECE|CWR", TCPFlags(0xff).String())
	assert.Equal(t, "0", TCPFlags(0).String())
	assert.Equal(t, "ICMP", ProtocolICMP.String())
	assert.Equal(t, "protocol 89", Protocol(89).String())
	assert.Equal(t, "kind 254 beef", TCPOption{Kind: 254, Length: 4, Data: []byte{0xbe, 0xef}}.String())
}

// A capture loop that decodes into the same values allocates nothing per
// packet, which is what the Decode methods are for.
func TestDecodeAllocatesNothing(t *testing.T) {
	syn := longIPv4TCP()
	frame := longARPFrame()
	var (
		ip  IPv4
		tcp TCP
		eth Ethernet
		arp ARP
	)
	failed := false
	allocs := testing.AllocsPerRun(100, func() {
		failed = failed || ip.Decode(syn) != nil || tcp.Decode(ip.Payload) != nil ||
			eth.Decode(frame) != nil || arp.Decode(eth.Payload) != nil
	})
	require.False(t, failed, "a valid packet failed to decode")
	assert.Zero(t, allocs, "allocations per packet")
}
