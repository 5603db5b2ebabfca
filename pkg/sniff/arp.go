package sniff

import (
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
	"strings"
)

// ARP operation codes (RFC 826, ar$op).
const (
	ARPRequest = 1
	ARPReply   = 2
)

// ARPHardwareEthernet is the HardwareType of Ethernet (ARPHRD_ETHER).
const ARPHardwareEthernet = 1

// ARP is a decoded ARP packet; see the package documentation for the
// layout. The address fields are as long as HardwareLen and ProtocolLen
// say: 6 and 4 bytes for IPv4 over Ethernet.
type ARP struct {
	HardwareType       uint16 // ar$hrd, ARPHardwareEthernet for Ethernet
	ProtocolType       uint16 // ar$pro, an EtherType: EtherTypeIPv4
	HardwareLen        uint8  // ar$hln, bytes in a hardware address
	ProtocolLen        uint8  // ar$pln, bytes in a protocol address
	Op                 uint16 // ar$op, ARPRequest or ARPReply
	SenderHardwareAddr net.HardwareAddr
	SenderProtocolAddr []byte
	TargetHardwareAddr net.HardwareAddr
	TargetProtocolAddr []byte
}

// arpFixed is the length of the fixed part of an ARP packet, before the
// addresses.
const arpFixed = 8

// ParseARP decodes the ARP packet at the start of b, typically an Ethernet
// frame's payload. Bytes after the target protocol address, such as the
// padding of a minimum-size Ethernet frame, are ignored.
func ParseARP(b []byte) (*ARP, error) {
	a := new(ARP)
	if err := a.Decode(b); err != nil {
		return nil, err
	}
	return a, nil
}

// Decode decodes the ARP packet at the start of b into a, like [ParseARP].
// The four addresses are slices of b, so a sniffer that decodes every
// frame into one ARP value allocates nothing per packet. After an error, a
// holds partial results.
func (a *ARP) Decode(b []byte) error {
	if err := checkLen("arp", b, arpFixed, "fixed header"); err != nil {
		return err
	}
	// Assigning the whole struct clears the addresses of the previous
	// packet, so a failed decode cannot leave them looking current.
	*a = ARP{
		HardwareType: binary.BigEndian.Uint16(b[0:2]),
		ProtocolType: binary.BigEndian.Uint16(b[2:4]),
		HardwareLen:  b[4],
		ProtocolLen:  b[5],
		Op:           binary.BigEndian.Uint16(b[6:8]),
	}
	hln, pln := int(a.HardwareLen), int(a.ProtocolLen)
	if need := arpFixed + 2*hln + 2*pln; len(b) < need {
		return fmt.Errorf("arp: %d bytes < %d needed for %d-byte hardware and %d-byte protocol addresses", len(b), need, hln, pln)
	}
	// The four addresses follow each other without gaps. Full slice
	// expressions cap each one, so appending to an address cannot
	// overwrite the next.
	sha := arpFixed
	spa := sha + hln
	tha := spa + pln
	tpa := tha + hln
	end := tpa + pln
	a.SenderHardwareAddr = b[sha:spa:spa]
	a.SenderProtocolAddr = b[spa:tha:tha]
	a.TargetHardwareAddr = b[tha:tpa:tpa]
	a.TargetProtocolAddr = b[tpa:end:end]
	return nil
}

// Dump formats a the way the sniff-arp recipe prints an ARP header: the
// numeric fields and hardware addresses in plain hex, 4-byte protocol
// addresses as dotted IPv4 addresses (others in hex).
func (a *ARP) Dump() string {
	var b strings.Builder
	b.WriteString("--------------- ARP_HEADER ----------------\n")
	fmt.Fprintf(&b, "Hardware type: %04x\n", a.HardwareType)
	fmt.Fprintf(&b, "Protocol type: %04x\n", a.ProtocolType)
	fmt.Fprintf(&b, "Hardware size: %02x\n", a.HardwareLen)
	fmt.Fprintf(&b, "Protocol size: %02x\n", a.ProtocolLen)
	fmt.Fprintf(&b, "Opcode: %04x\n", a.Op)
	fmt.Fprintf(&b, "Source MAC: %x\n", []byte(a.SenderHardwareAddr))
	fmt.Fprintf(&b, "Source IP: %s\n", protocolAddr(a.SenderProtocolAddr))
	fmt.Fprintf(&b, "Dest MAC: %x\n", []byte(a.TargetHardwareAddr))
	fmt.Fprintf(&b, "Dest IP: %s\n", protocolAddr(a.TargetProtocolAddr))
	b.WriteString("-------------------------------------------\n")
	return b.String()
}

// protocolAddr formats an ARP protocol address: dotted for IPv4's four
// bytes, hex otherwise.
func protocolAddr(p []byte) string {
	if len(p) == 4 {
		return netip.AddrFrom4([4]byte(p)).String()
	}
	return fmt.Sprintf("%x", p)
}
