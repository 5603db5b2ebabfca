//go:build solution

package byteorder

import (
	"encoding/binary"
	"fmt"
)

// Swap16 reverses the two bytes of x.
func Swap16(x uint16) uint16 { return x>>8 | x<<8 }

// Swap32 reverses the four bytes of x.
func Swap32(x uint32) uint32 {
	return x>>24 | x>>8&0xff00 | x<<8&0xff0000 | x<<24
}

// MarshalBinary returns the header's HeaderLen bytes in network byte order.
func (h Header) MarshalBinary() ([]byte, error) {
	b := make([]byte, HeaderLen)
	b[0] = h.Version
	b[1] = h.Flags
	binary.BigEndian.PutUint16(b[2:4], h.Length)
	binary.BigEndian.PutUint32(b[4:8], h.Seq)
	return b, nil
}

// UnmarshalBinary reads a header from the first HeaderLen bytes of b.
func (h *Header) UnmarshalBinary(b []byte) error {
	if len(b) < HeaderLen {
		return fmt.Errorf("byteorder: header needs %d bytes, got %d", HeaderLen, len(b))
	}
	*h = Header{
		Version: b[0],
		Flags:   b[1],
		Length:  binary.BigEndian.Uint16(b[2:4]),
		Seq:     binary.BigEndian.Uint32(b[4:8]),
	}
	return nil
}
