package sniff

import (
	"encoding/binary"
	"fmt"
	"net"
	"strings"
)

// EtherType values (IEEE's registry; the ETH_P_* constants of
// linux/if_ether.h) that this package uses.
const (
	EtherTypeIPv4 = 0x0800 // ETH_P_IP
	EtherTypeARP  = 0x0806 // ETH_P_ARP
	EtherTypeIPv6 = 0x86dd // ETH_P_IPV6
)

// Ethernet is a decoded Ethernet II frame header; see the package
// documentation for the layout. The frame check sequence is not part of it:
// network cards strip it before the kernel sees the frame.
type Ethernet struct {
	Dst, Src  net.HardwareAddr
	EtherType uint16 // the payload's protocol, such as EtherTypeARP
	Payload   []byte
}

// ethernetHeader is the length of an Ethernet II header.
const ethernetHeader = 14

// ParseEthernet decodes the Ethernet II frame in b. It does not interpret
// 802.1Q tags or 802.3 length fields: EtherType holds whatever the two bytes
// after the addresses hold.
func ParseEthernet(b []byte) (*Ethernet, error) {
	e := new(Ethernet)
	if err := e.Decode(b); err != nil {
		return nil, err
	}
	return e, nil
}

// Decode decodes the Ethernet II frame in b into e, like [ParseEthernet].
// The addresses and payload are slices of b, so decoding every frame into
// one Ethernet value allocates nothing per frame. After an error, e is
// unchanged.
func (e *Ethernet) Decode(b []byte) error {
	if err := checkLen("ethernet", b, ethernetHeader, "header"); err != nil {
		return err
	}
	*e = Ethernet{
		Dst:       net.HardwareAddr(b[0:6:6]),
		Src:       net.HardwareAddr(b[6:12:12]),
		EtherType: binary.BigEndian.Uint16(b[12:14]),
		Payload:   b[ethernetHeader:],
	}
	return nil
}

// Dump formats e the way the sniff-arp recipe prints a frame header:
// addresses and type in plain hex, one field a line.
func (e *Ethernet) Dump() string {
	var b strings.Builder
	b.WriteString("-------------- ETHERNET_FRAME -------------\n")
	fmt.Fprintf(&b, "Dest MAC: %x\n", []byte(e.Dst))
	fmt.Fprintf(&b, "Source MAC: %x\n", []byte(e.Src))
	fmt.Fprintf(&b, "Type: %04x\n", e.EtherType)
	return b.String()
}
