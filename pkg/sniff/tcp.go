package sniff

import (
	"encoding/binary"
	"fmt"
	"strings"
)

// TCPFlags holds the eight control bits of a TCP header, in the order they
// have on the wire: FIN is the lowest bit, CWR the highest.
type TCPFlags uint8

// The TCP control bits. Each constant is the bit's value in the header's
// flags byte, which is what the sniff-tcp recipe prints for a set flag.
const (
	FIN TCPFlags = 1 << iota // no more data from sender
	SYN                      // synchronize sequence numbers
	RST                      // reset the connection
	PSH                      // push buffered data to the application
	ACK                      // the Ack field is significant
	URG                      // the Urgent field is significant
	ECE                      // ECN echo (RFC 3168)
	CWR                      // congestion window reduced (RFC 3168)
)

// String returns the set flags joined by "|", such as "SYN|ACK", or "0"
// when none is set.
func (f TCPFlags) String() string {
	if f == 0 {
		return "0"
	}
	names := [...]string{"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"}
	var set []string
	for i, name := range names {
		if f&(1<<i) != 0 {
			set = append(set, name)
		}
	}
	return strings.Join(set, "|")
}

// A TCPOption is one option of a TCP header. End of Option List (kind 0) and
// No Operation (kind 1) have Length 1 and no Data; every other option has
// Length = 2 + len(Data).
type TCPOption struct {
	Kind   uint8
	Length uint8
	Data   []byte
}

// TCP option kinds (IANA's "TCP Option Kind Numbers") that String decodes.
const (
	TCPOptionEnd           = 0 // End of Option List
	TCPOptionNop           = 1 // No Operation
	TCPOptionMSS           = 2 // Maximum Segment Size
	TCPOptionWindowScale   = 3 // Window Scale shift count
	TCPOptionSACKPermitted = 4 // Selective ACKs may be sent
	TCPOptionSACK          = 5 // Selective ACK blocks
	TCPOptionTimestamps    = 8 // TSval and TSecr
)

// String describes the option, decoding the values of the common kinds:
// "MSS 65495", "WS 7", "SACK-permitted", "TS 1000 0", "NOP", "EOL";
// other kinds print as "kind K" and their data in hex.
func (o TCPOption) String() string {
	d := o.Data
	switch {
	case o.Kind == TCPOptionEnd:
		return "EOL"
	case o.Kind == TCPOptionNop:
		return "NOP"
	case o.Kind == TCPOptionMSS && len(d) == 2:
		return fmt.Sprintf("MSS %d", binary.BigEndian.Uint16(d))
	case o.Kind == TCPOptionWindowScale && len(d) == 1:
		return fmt.Sprintf("WS %d", d[0])
	case o.Kind == TCPOptionSACKPermitted && len(d) == 0:
		return "SACK-permitted"
	case o.Kind == TCPOptionTimestamps && len(d) == 8:
		return fmt.Sprintf("TS %d %d", binary.BigEndian.Uint32(d[:4]), binary.BigEndian.Uint32(d[4:]))
	}
	return fmt.Sprintf("kind %d %x", o.Kind, d)
}

// TCP is a decoded TCP header and its payload; see the package
// documentation for the layout. Its fields are named after the diagram.
type TCP struct {
	SrcPort, DstPort uint16
	Seq, Ack         uint32
	DataOffset       uint8 // header length in 32-bit words, 5 to 15
	Reserved         uint8 // the 4 bits after DataOffset; the lowest was RFC 3540's NS flag
	Flags            TCPFlags
	Window           uint16
	Checksum         uint16
	Urgent           uint16
	Options          []TCPOption // up to and including End of Option List
	Payload          []byte
}

// tcpMinHeader is the length of a TCP header without options.
const tcpMinHeader = 20

// ParseTCP decodes the TCP segment in b, which must start at the TCP header
// and end where the IP packet ends (see [IPv4.Payload]): all bytes after the
// header are the payload.
func ParseTCP(b []byte) (*TCP, error) {
	t := new(TCP)
	if err := t.Decode(b); err != nil {
		return nil, err
	}
	return t, nil
}

// Decode decodes the TCP segment in b into t, like [ParseTCP], reusing the
// memory of t.Options. After an error, t holds partial results.
func (t *TCP) Decode(b []byte) error {
	if err := checkLen("tcp", b, tcpMinHeader, "minimum header"); err != nil {
		return err
	}
	*t = TCP{
		SrcPort:    binary.BigEndian.Uint16(b[0:2]),
		DstPort:    binary.BigEndian.Uint16(b[2:4]),
		Seq:        binary.BigEndian.Uint32(b[4:8]),
		Ack:        binary.BigEndian.Uint32(b[8:12]),
		DataOffset: b[12] >> 4,
		Reserved:   b[12] & 0x0f,
		Flags:      TCPFlags(b[13]),
		Window:     binary.BigEndian.Uint16(b[14:16]),
		Checksum:   binary.BigEndian.Uint16(b[16:18]),
		Urgent:     binary.BigEndian.Uint16(b[18:20]),
		Options:    t.Options[:0],
	}
	hlen := int(t.DataOffset) * 4
	switch {
	case t.DataOffset < 5:
		return fmt.Errorf("tcp: data offset %d words < 5", t.DataOffset)
	case hlen > len(b):
		return fmt.Errorf("tcp: data offset %d bytes > %d bytes of segment", hlen, len(b))
	}
	opts, err := parseTCPOptions(t.Options, b[tcpMinHeader:hlen])
	if err != nil {
		return err
	}
	t.Options = opts
	t.Payload = b[hlen:]
	return nil
}

// parseTCPOptions appends to opts the options in the option area of a TCP
// header, the bytes between the fixed 20-byte header and DataOffset*4.
func parseTCPOptions(opts []TCPOption, b []byte) ([]TCPOption, error) {
	for off := 0; off < len(b); {
		kind, n, data, ok := nextOption(b, off)
		if !ok {
			return nil, optionError("tcp: option kind", b, off)
		}
		opts = append(opts, TCPOption{Kind: kind, Length: uint8(n), Data: data})
		if kind == TCPOptionEnd { // what follows is padding
			break
		}
		off += n
	}
	return opts, nil
}

// Dump formats t the way the sniff-tcp recipe prints a segment: one header
// field a line, each flag as its bit value (0 when clear), the options, and
// the payload as a quoted Go string.
func (t *TCP) Dump() string {
	var b strings.Builder
	b.WriteString("------------ TCP_HEADER --------------\n")
	fmt.Fprintf(&b, "Source Port: %d\n", t.SrcPort)
	fmt.Fprintf(&b, "Destination Port: %d\n", t.DstPort)
	fmt.Fprintf(&b, "Sequence Number: %d\n", t.Seq)
	fmt.Fprintf(&b, "Acknowledgment Number: %d\n", t.Ack)
	fmt.Fprintf(&b, "Data offset: %d\n", t.DataOffset)
	for _, f := range [...]TCPFlags{FIN, SYN, RST, PSH, ACK, URG, ECE, CWR} {
		fmt.Fprintf(&b, "%v: %d\n", f, t.Flags&f)
	}
	fmt.Fprintf(&b, "Window: %d\n", t.Window)
	fmt.Fprintf(&b, "Checksum: %d\n", t.Checksum)
	fmt.Fprintf(&b, "Urgent Pointer: %d\n", t.Urgent)
	opts := make([]string, len(t.Options))
	for i, o := range t.Options {
		opts[i] = o.String()
	}
	fmt.Fprintf(&b, "Options: %s\n", strings.Join(opts, ", "))
	b.WriteString("--------------- DATA -----------------\n")
	fmt.Fprintf(&b, "%q\n", t.Payload)
	return b.String()
}
