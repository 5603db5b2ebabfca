//go:build solution

// Package inetaton parses IPv4 addresses in the strict dotted-quad form and in
// the lenient forms the C library's inet_aton accepts.
package inetaton

import (
	"encoding/binary"
	"fmt"
	"strings"
)

// ParseStrict parses exactly four decimal parts from 0 to 255, without
// leading zeros.
func ParseStrict(s string) ([4]byte, error) {
	var out [4]byte
	parts := strings.Split(s, ".")
	if len(parts) != 4 {
		return out, fmt.Errorf("inetaton: parse %q: %d parts, want 4", s, len(parts))
	}
	for i, p := range parts {
		// A leading zero is refused because other parsers read it as octal.
		if p == "" || len(p) > 3 || (len(p) > 1 && p[0] == '0') {
			return out, fmt.Errorf("inetaton: parse %q: part %d %q is not a decimal octet", s, i+1, p)
		}
		v, err := parseDigits(p, 10)
		if err != nil {
			return out, fmt.Errorf("inetaton: parse %q: part %d: %w", s, i+1, err)
		}
		if v > 255 {
			return out, fmt.Errorf("inetaton: parse %q: part %d out of range", s, i+1)
		}
		out[i] = byte(v)
	}
	return out, nil
}

// ParseLenient parses the forms glibc's inet_aton accepts: one to four parts,
// each decimal, octal or hexadecimal, the last one filling the remaining bytes.
func ParseLenient(s string) ([4]byte, error) {
	var out [4]byte
	parts := strings.Split(s, ".")
	if len(parts) > 4 {
		return out, fmt.Errorf("inetaton: parse %q: %d parts, want at most 4", s, len(parts))
	}
	var addr uint32
	for i, p := range parts {
		v, err := parseNumber(p)
		if err != nil {
			return out, fmt.Errorf("inetaton: parse %q: part %d: %w", s, i+1, err)
		}
		// Every part but the last is one byte; the last fills what is left.
		bits := 8
		if i == len(parts)-1 {
			bits = 8 * (5 - len(parts))
		}
		if v >= 1<<bits {
			return out, fmt.Errorf("inetaton: parse %q: part %d out of range", s, i+1)
		}
		if i < len(parts)-1 {
			addr |= uint32(v) << (24 - 8*i)
		} else {
			addr |= uint32(v)
		}
	}
	binary.BigEndian.PutUint32(out[:], addr)
	return out, nil
}

// parseNumber reads one part in C's notation: 0x or 0X for hexadecimal,
// a leading 0 for octal, decimal otherwise.
func parseNumber(p string) (uint64, error) {
	switch {
	case p == "":
		return 0, fmt.Errorf("empty part")
	case len(p) > 2 && (p[:2] == "0x" || p[:2] == "0X"):
		return parseDigits(p[2:], 16)
	case len(p) > 1 && p[0] == '0':
		return parseDigits(p[1:], 8)
	}
	return parseDigits(p, 10)
}

// parseDigits accepts only digits of the base, so that signs, spaces and
// underscores, which strconv would allow in places, are refused.
func parseDigits(p string, base uint64) (uint64, error) {
	if p == "" {
		return 0, fmt.Errorf("no digits")
	}
	var v uint64
	for _, c := range []byte(p) {
		var d uint64
		switch {
		case c >= '0' && c <= '9':
			d = uint64(c - '0')
		case c >= 'a' && c <= 'f':
			d = uint64(c-'a') + 10
		case c >= 'A' && c <= 'F':
			d = uint64(c-'A') + 10
		default:
			return 0, fmt.Errorf("%q is not a digit", c)
		}
		if d >= base {
			return 0, fmt.Errorf("%q is not a base-%d digit", c, base)
		}
		v = v*base + d
		if v > 1<<32 {
			return 0, fmt.Errorf("%q is too large", p)
		}
	}
	return v, nil
}
