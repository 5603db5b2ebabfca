// Package tcpopts decodes the options of a TCP header.
package tcpopts

// A SACKBlock is one range of bytes a receiver holds beyond the
// acknowledgement number: from Left up to, not including, Right.
type SACKBlock struct{ Left, Right uint32 }

// Options are the TCP options this package understands.
type Options struct {
	MSS            uint16 // valid if HasMSS
	HasMSS         bool
	WindowScale    uint8 // valid if HasWindowScale
	HasWindowScale bool
	SACKPermitted  bool
	SACK           []SACKBlock
	TSval, TSecr   uint32 // valid if HasTimestamps
	HasTimestamps  bool
}
