// Package ipv4 decodes and verifies IPv4 headers.
package ipv4

import "net/netip"

// Header is a decoded IPv4 header.
type Header struct {
	Version  uint8
	IHL      uint8 // header length in 32-bit words
	TOS      uint8
	TotalLen uint16
	ID       uint16
	DontFrag bool // the DF flag
	MoreFrag bool // the MF flag
	FragOff  uint16
	TTL      uint8
	Protocol uint8
	Checksum uint16
	Src, Dst netip.Addr
	Options  []byte
	Payload  []byte
}
