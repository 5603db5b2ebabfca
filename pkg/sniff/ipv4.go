package sniff

import (
	"encoding/binary"
	"fmt"
	"net/netip"
)

// A Protocol is an IP protocol number, the value of the IPv4 Protocol field
// (IANA's "Assigned Internet Protocol Numbers").
type Protocol uint8

// Protocol numbers the sniffers meet most often.
const (
	ProtocolICMP Protocol = 1
	ProtocolIGMP Protocol = 2
	ProtocolTCP  Protocol = 6
	ProtocolUDP  Protocol = 17
	ProtocolRDP  Protocol = 27
)

// String returns the protocol's name, such as "ICMP", or "protocol N" for
// numbers without one here.
func (p Protocol) String() string {
	switch p {
	case ProtocolICMP:
		return "ICMP"
	case ProtocolIGMP:
		return "IGMP"
	case ProtocolTCP:
		return "TCP"
	case ProtocolUDP:
		return "UDP"
	case ProtocolRDP:
		return "RDP"
	}
	return fmt.Sprintf("protocol %d", uint8(p))
}

// IPv4Flags holds the three flag bits of an IPv4 header.
type IPv4Flags uint8

// The IPv4 flag bits, as they sit in the low three bits of IPv4Flags.
const (
	IPv4MoreFragments IPv4Flags = 1 << iota // MF: more fragments follow
	IPv4DontFragment                        // DF: routers must not fragment
	IPv4Reserved                            // reserved, must be zero
)

// An IPv4Option is one option of an IPv4 header. The single-byte options
// End of Option List (type 0) and No Operation (type 1) have Length 1 and no
// Data; every other option has Length = 2 + len(Data).
type IPv4Option struct {
	Type   uint8
	Length uint8
	Data   []byte
}

// IPv4 is a decoded IPv4 header; see the package documentation for the
// layout. Its fields are named after the diagram.
type IPv4 struct {
	Version     uint8  // always 4
	IHL         uint8  // header length in 32-bit words, 5 to 15
	TOS         uint8  // DSCP and ECN bits
	TotalLength uint16 // header and payload, in bytes
	ID          uint16 // identifies the fragments of one datagram
	Flags       IPv4Flags
	FragOffset  uint16 // position of this fragment, in 8-byte units
	TTL         uint8
	Protocol    Protocol
	Checksum    uint16
	Src, Dst    netip.Addr
	Options     []IPv4Option // up to and including End of Option List
	Payload     []byte       // TotalLength - IHL*4 bytes after the header
}

// ipv4MinHeader is the length of an IPv4 header without options.
const ipv4MinHeader = 20

// ParseIPv4 decodes the IPv4 packet at the start of b. Bytes beyond the
// header's TotalLength, such as Ethernet padding, are ignored; a packet
// shorter than TotalLength is an error.
func ParseIPv4(b []byte) (*IPv4, error) {
	h := new(IPv4)
	if err := h.Decode(b); err != nil {
		return nil, err
	}
	return h, nil
}

// Decode decodes the IPv4 packet at the start of b into h, like
// [ParseIPv4], reusing the memory of h.Options: a sniffer that decodes
// into one IPv4 value allocates nothing per packet. After an error, h
// holds partial results.
func (h *IPv4) Decode(b []byte) error {
	if err := checkLen("ipv4", b, ipv4MinHeader, "minimum header"); err != nil {
		return err
	}
	*h = IPv4{
		Version:     b[0] >> 4,
		IHL:         b[0] & 0x0f,
		TOS:         b[1],
		TotalLength: binary.BigEndian.Uint16(b[2:4]),
		ID:          binary.BigEndian.Uint16(b[4:6]),
		TTL:         b[8],
		Protocol:    Protocol(b[9]),
		Checksum:    binary.BigEndian.Uint16(b[10:12]),
		Src:         netip.AddrFrom4([4]byte(b[12:16])),
		Dst:         netip.AddrFrom4([4]byte(b[16:20])),
		Options:     h.Options[:0],
	}
	// Flags and fragment offset share one 16-bit word: 3 bits, then 13.
	ff := binary.BigEndian.Uint16(b[6:8])
	h.Flags = IPv4Flags(ff >> 13)
	h.FragOffset = ff & 0x1fff

	if h.Version != 4 {
		return fmt.Errorf("ipv4: version %d, want 4", h.Version)
	}
	hlen := int(h.IHL) * 4
	switch {
	case h.IHL < 5:
		return fmt.Errorf("ipv4: header length %d words < 5", h.IHL)
	case hlen > len(b):
		return fmt.Errorf("ipv4: header length %d bytes > %d bytes of packet", hlen, len(b))
	case int(h.TotalLength) < hlen:
		return fmt.Errorf("ipv4: total length %d < header length %d", h.TotalLength, hlen)
	case int(h.TotalLength) > len(b):
		return fmt.Errorf("ipv4: total length %d > %d bytes of packet (truncated)", h.TotalLength, len(b))
	}
	opts, err := parseIPv4Options(h.Options, b[ipv4MinHeader:hlen])
	if err != nil {
		return err
	}
	h.Options = opts
	h.Payload = b[hlen:h.TotalLength]
	return nil
}

// parseIPv4Options appends to opts the options in the option area of an
// IPv4 header, the bytes between the fixed 20-byte header and IHL*4.
func parseIPv4Options(opts []IPv4Option, b []byte) ([]IPv4Option, error) {
	for off := 0; off < len(b); {
		typ, n, data, ok := nextOption(b, off)
		if !ok {
			return nil, optionError("ipv4: option type", b, off)
		}
		opts = append(opts, IPv4Option{Type: typ, Length: uint8(n), Data: data})
		if typ == 0 { // End of Option List: what follows is padding.
			break
		}
		off += n
	}
	return opts, nil
}

// String formats h the way the sniff-ip recipe prints a packet:
// "ICMP: 127.0.0.1 -> 127.0.0.1".
func (h *IPv4) String() string {
	return fmt.Sprintf("%v: %v -> %v", h.Protocol, h.Src, h.Dst)
}
