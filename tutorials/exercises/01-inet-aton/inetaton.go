//go:build !solution

// Package inetaton parses IPv4 addresses in the strict dotted-quad form and in
// the lenient forms the C library's inet_aton accepts.
package inetaton

import "errors"

// ParseStrict parses exactly four decimal parts from 0 to 255, without
// leading zeros.
func ParseStrict(s string) ([4]byte, error) {
	return [4]byte{}, errors.ErrUnsupported // TODO: write me
}

// ParseLenient parses the forms glibc's inet_aton accepts: one to four parts,
// each decimal, octal or hexadecimal, the last one filling the remaining bytes.
func ParseLenient(s string) ([4]byte, error) {
	return [4]byte{}, errors.ErrUnsupported // TODO: write me
}
