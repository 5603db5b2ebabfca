//go:build !solution

package ipv4

import "errors"

// Checksum returns the RFC 1071 Internet checksum of b.
func Checksum(b []byte) uint16 {
	return 0xffff // TODO
}

// Parse decodes and checks the IPv4 header at the start of b.
func Parse(b []byte) (Header, error) {
	return Header{}, errors.ErrUnsupported // TODO
}
