package sniff

import "fmt"

// This file holds what every header's decoder does the same way; the
// fields of each header are read in the header's own file.

// checkLen returns an error naming the header when b is shorter than the
// n bytes of its part, such as "arp: 7 bytes < 8-byte fixed header". Every
// decoder calls it before it reads a field.
func checkLen(header string, b []byte, n int, part string) error {
	if len(b) >= n {
		return nil
	}
	return shortError(header, len(b), n, part)
}

// shortError is checkLen's error, apart so that checkLen stays small
// enough for the compiler to inline it in the decoders.
func shortError(header string, have, n int, part string) error {
	return fmt.Errorf("%s: %d bytes < %d-byte %s", header, have, n, part)
}

// nextOption decodes the option at offset off of b, the option area of
// an IPv4 or a TCP header, which share RFC 791's layout: types 0 (End of
// Option List) and 1 (No Operation) are a single byte, every other option
// is its type, a length n that counts these two bytes, and n-2 bytes of
// data. It reports false for an option that does not fit; optionError
// then says why. It is small enough for the compiler to inline it in the
// option loops.
func nextOption(b []byte, off int) (typ uint8, n int, data []byte, ok bool) {
	typ = b[off]
	if typ <= 1 {
		return typ, 1, nil, true
	}
	if off+2 > len(b) {
		return typ, 0, nil, false
	}
	n = int(b[off+1])
	if n < 2 || off+n > len(b) {
		return typ, 0, nil, false
	}
	return typ, n, b[off+2 : off+n], true
}

// optionError says what is wrong with the option at offset off of b,
// which nextOption refused. what, such as "ipv4: option type", names the
// header and the option's first field.
func optionError(what string, b []byte, off int) error {
	typ := b[off]
	if off+2 > len(b) {
		return fmt.Errorf("%s %d at offset %d: no length byte", what, typ, off)
	}
	if n := int(b[off+1]); n < 2 {
		return fmt.Errorf("%s %d at offset %d: length %d < 2", what, typ, off, n)
	}
	return fmt.Errorf("%s %d at offset %d: length %d overruns the %d-byte option area", what, typ, off, b[off+1], len(b))
}
