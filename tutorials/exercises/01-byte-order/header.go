//go:build !solution

// Package byteorder swaps bytes by hand and encodes a small header in network
// byte order.
package byteorder

import "errors"

// Swap16 reverses the two bytes of x.
func Swap16(x uint16) uint16 { return 0 } // TODO

// Swap32 reverses the four bytes of x.
func Swap32(x uint32) uint32 { return 0 } // TODO

// HeaderLen is the size of a Header on the wire.
const HeaderLen = 8

// Header is the fixed header of a made-up protocol, sent in network byte
// order.
type Header struct {
	Version uint8
	Flags   uint8
	Length  uint16
	Seq     uint32
}

// MarshalBinary returns the header's HeaderLen bytes in network byte order.
func (h Header) MarshalBinary() ([]byte, error) {
	return nil, errors.ErrUnsupported // TODO
}

// UnmarshalBinary reads a header from the first HeaderLen bytes of b.
func (h *Header) UnmarshalBinary(b []byte) error {
	return errors.ErrUnsupported // TODO
}
