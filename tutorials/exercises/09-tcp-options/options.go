//go:build !solution

// Package tcpopts decodes the options of a TCP header.
package tcpopts

import "errors"

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

// OptionBytes returns the options part of the TCP header at the start of tcp.
func OptionBytes(tcp []byte) ([]byte, error) {
	return nil, errors.ErrUnsupported // TODO
}

// Parse decodes a TCP option list.
func Parse(opts []byte) (Options, error) {
	return Options{}, errors.ErrUnsupported // TODO
}
