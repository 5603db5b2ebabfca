package sniff_test

import (
	"fmt"
	"log"

	"github.com/sockbook/sockbook/pkg/sniff"
)

// The packets below were captured once by this package's live tests
// (go test -v -run Capture, as root), which log the first packet of each
// kind: a ping of 127.0.0.1, the SYN of an HTTP request on loopback, and an
// ARP request on a veth pair between two throwaway network namespaces.

// icmpEcho is an ICMP echo request from 127.0.0.1 to itself, IP header
// first, as an AF_INET raw socket receives it.
var icmpEcho = []byte{
	0x45, 0x00, 0x00, 0x24, 0x25, 0xd8, 0x40, 0x00, 0x40, 0x01, 0x16, 0xff, 0x7f, 0x00, 0x00, 0x01,
	0x7f, 0x00, 0x00, 0x01, 0x08, 0x00, 0x36, 0x90, 0x18, 0xb9, 0x00, 0x01, 0x73, 0x6f, 0x63, 0x6b,
	0x62, 0x6f, 0x6f, 0x6b,
}

// tcpSYN opens a connection to an HTTP server on 127.0.0.1. Its options are
// the ones Linux sends: MSS, SACK permitted, timestamps, window scale.
var tcpSYN = []byte{
	0x45, 0x00, 0x00, 0x3c, 0xfe, 0xd3, 0x40, 0x00, 0x40, 0x06, 0x3d, 0xe6, 0x7f, 0x00, 0x00, 0x01,
	0x7f, 0x00, 0x00, 0x01, 0xab, 0xd4, 0x86, 0xfb, 0x78, 0x38, 0x57, 0x4b, 0x00, 0x00, 0x00, 0x00,
	0xa0, 0x02, 0xff, 0xd7, 0xfe, 0x30, 0x00, 0x00, 0x02, 0x04, 0xff, 0xd7, 0x04, 0x02, 0x08, 0x0a,
	0xa3, 0x96, 0x45, 0xfa, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x0a,
}

// arpRequest asks, by Ethernet broadcast, who has 10.200.181.2, as an
// AF_PACKET socket receives it.
var arpRequest = []byte{
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x56, 0xb4, 0x48, 0xbb, 0x09, 0x14, 0x08, 0x06, 0x00, 0x01,
	0x08, 0x00, 0x06, 0x04, 0x00, 0x01, 0x56, 0xb4, 0x48, 0xbb, 0x09, 0x14, 0x0a, 0xc8, 0xb5, 0x01,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0xc8, 0xb5, 0x02,
}

// ExampleParseIPv4 decodes the IPv4 header of a captured ping, as the
// sniff-ip recipe does for every packet its raw ICMP socket reads.
//
// Recipe: sniff-ip
func ExampleParseIPv4() {
	ip, err := sniff.ParseIPv4(icmpEcho)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ip)
	fmt.Printf("header %d words, total %d bytes, TTL %d, flags %03b\n", ip.IHL, ip.TotalLength, ip.TTL, ip.Flags)
	fmt.Printf("ICMP type %d, code %d\n", ip.Payload[0], ip.Payload[1])
	// Output:
	// ICMP: 127.0.0.1 -> 127.0.0.1
	// header 5 words, total 36 bytes, TTL 64, flags 010
	// ICMP type 8, code 0
}

// ExampleParseTCP decodes a captured SYN: first the IPv4 header, whose
// length says where TCP starts, then the TCP header with its options. The
// sniff-tcp recipe prints every segment that carries data this way.
//
// Recipe: sniff-tcp
func ExampleParseTCP() {
	ip, err := sniff.ParseIPv4(tcpSYN)
	if err != nil {
		log.Fatal(err)
	}
	tcp, err := sniff.ParseTCP(ip.Payload)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ip)
	fmt.Print(tcp.Dump())
	// Output:
	// TCP: 127.0.0.1 -> 127.0.0.1
	// ------------ TCP_HEADER --------------
	// Source Port: 43988
	// Destination Port: 34555
	// Sequence Number: 2016958283
	// Acknowledgment Number: 0
	// Data offset: 10
	// FIN: 0
	// SYN: 2
	// RST: 0
	// PSH: 0
	// ACK: 0
	// URG: 0
	// ECE: 0
	// CWR: 0
	// Window: 65495
	// Checksum: 65072
	// Urgent Pointer: 0
	// Options: MSS 65495, SACK-permitted, TS 2744534522 0, NOP, WS 10
	// --------------- DATA -----------------
	// ""
}

// ExampleParseARP decodes a captured ARP request: the Ethernet header,
// whose EtherType says ARP follows, then the ARP packet, as the sniff-arp
// recipe prints every frame its AF_PACKET socket reads.
//
// Recipe: sniff-arp
func ExampleParseARP() {
	eth, err := sniff.ParseEthernet(arpRequest)
	if err != nil {
		log.Fatal(err)
	}
	if eth.EtherType != sniff.EtherTypeARP {
		log.Fatalf("EtherType %#04x is not ARP", eth.EtherType)
	}
	arp, err := sniff.ParseARP(eth.Payload)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(eth.Dump(), arp.Dump())
	// Output:
	// -------------- ETHERNET_FRAME -------------
	// Dest MAC: ffffffffffff
	// Source MAC: 56b448bb0914
	// Type: 0806
	// --------------- ARP_HEADER ----------------
	// Hardware type: 0001
	// Protocol type: 0800
	// Hardware size: 06
	// Protocol size: 04
	// Opcode: 0001
	// Source MAC: 56b448bb0914
	// Source IP: 10.200.181.1
	// Dest MAC: 000000000000
	// Dest IP: 10.200.181.2
	// -------------------------------------------
}
