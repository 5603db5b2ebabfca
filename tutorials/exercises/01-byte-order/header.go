//go:build !solution

package byteorder

import "errors"

// Swap16 reverses the two bytes of x.
func Swap16(x uint16) uint16 { return 0 } // TODO

// Swap32 reverses the four bytes of x.
func Swap32(x uint32) uint32 { return 0 } // TODO

// MarshalBinary returns the header's HeaderLen bytes in network byte order.
func (h Header) MarshalBinary() ([]byte, error) {
	return nil, errors.ErrUnsupported // TODO
}

// UnmarshalBinary reads a header from the first HeaderLen bytes of b.
func (h *Header) UnmarshalBinary(b []byte) error {
	return errors.ErrUnsupported // TODO
}
