//go:build !solution

package tcpopts

import "errors"

// OptionBytes returns the options part of the TCP header at the start of tcp.
func OptionBytes(tcp []byte) ([]byte, error) {
	return nil, errors.ErrUnsupported // TODO
}

// Parse decodes a TCP option list.
func Parse(opts []byte) (Options, error) {
	return Options{}, errors.ErrUnsupported // TODO
}
