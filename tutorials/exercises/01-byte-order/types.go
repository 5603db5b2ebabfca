// Package byteorder swaps bytes by hand and encodes a small header in network
// byte order.
package byteorder

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
