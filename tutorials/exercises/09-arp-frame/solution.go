//go:build solution

package arpframe

import (
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
)

const (
	etherHeader  = 14
	etherTypeARP = 0x0806
	arpLen       = 28 // the fixed 8 bytes, then 6+4+6+4 of addresses
)

// Parse decodes the ARP frame b, Ethernet header first.
func Parse(b []byte) (Frame, error) {
	var f Frame
	if len(b) < etherHeader {
		return f, fmt.Errorf("arp: %d bytes, an Ethernet header needs %d", len(b), etherHeader)
	}
	// Compare numbers, not text: the cheat sheet compares the two bytes
	// with a str, which on Python 3 is never equal, and drops every frame.
	if et := binary.BigEndian.Uint16(b[12:14]); et != etherTypeARP {
		return f, fmt.Errorf("arp: EtherType %#04x, want %#04x", et, etherTypeARP)
	}
	p := b[etherHeader:]
	if len(p) < arpLen {
		return f, fmt.Errorf("arp: %d bytes after the Ethernet header, an ARP packet for IPv4 over Ethernet needs %d", len(p), arpLen)
	}
	if h := binary.BigEndian.Uint16(p[0:2]); h != 1 {
		return f, fmt.Errorf("arp: hardware type %d, want 1 (Ethernet)", h)
	}
	if pt := binary.BigEndian.Uint16(p[2:4]); pt != 0x0800 {
		return f, fmt.Errorf("arp: protocol type %#04x, want 0x0800 (IPv4)", pt)
	}
	if p[4] != 6 || p[5] != 4 {
		return f, fmt.Errorf("arp: address lengths %d and %d, want 6 and 4", p[4], p[5])
	}
	f.Op = binary.BigEndian.Uint16(p[6:8])
	if f.Op != Request && f.Op != Reply {
		return f, fmt.Errorf("arp: operation %d, want 1 (request) or 2 (reply)", f.Op)
	}
	f.Dst, f.Src = [6]byte(b[0:6]), [6]byte(b[6:12])
	f.SenderMAC = [6]byte(p[8:14])
	f.SenderIP = netip.AddrFrom4([4]byte(p[14:18]))
	f.TargetMAC = [6]byte(p[18:24])
	f.TargetIP = netip.AddrFrom4([4]byte(p[24:28]))
	return f, nil
}

// String describes f as tcpdump does: "who-has 10.9.0.2 tell 10.9.0.1"
// for a request, "10.9.0.2 is-at da:cc:72:ba:8a:89" for a reply.
func (f Frame) String() string {
	if f.Op == Request {
		return fmt.Sprintf("who-has %s tell %s", f.TargetIP, f.SenderIP)
	}
	return fmt.Sprintf("%s is-at %s", f.SenderIP, net.HardwareAddr(f.SenderMAC[:]))
}
