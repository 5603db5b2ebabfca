package addr

import (
	"fmt"
	"net/netip"
)

// InetAton parses an IPv4 address the way the C library's inet_aton does and
// returns it in network byte order, the packed form that goes into a
// sockaddr_in.
//
// The text has one to four parts separated by dots. Each part is a C integer
// literal: hexadecimal after 0x or 0X, octal after a leading 0, decimal
// otherwise, with no sign and no leading space. Every part but the last is
// one byte; the last fills the bytes that remain:
//
//	a.b.c.d   four 8-bit parts           192.0.2.1
//	a.b.c     8, 8 and 16 bits           192.0.513
//	a.b       8 and 24 bits              192.513
//	a         one 32-bit number          3221225985, 0xc0000201
//
// Like inet_aton, and unlike [InetAtonExact], InetAton ignores anything after
// an ASCII space, tab, newline, vertical tab, form feed or carriage return
// that follows the address, so "1.2.3.4 junk" is 1.2.3.4. A NUL byte is an
// error rather than the end of the text, as Go strings are not C strings.
func InetAton(s string) ([4]byte, error) {
	a, _, err := parseIPv4("inet_aton", s)
	return a, err
}

// InetAtonExact is [InetAton] without the tolerance for trailing text: the
// whole of s must be the address. glibc's getaddrinfo parses numeric IPv4
// hosts this way (its internal __inet_aton_exact) since glibc 2.29, the fix
// for CVE-2016-10739, so "0xc000027b" and "3221226198" are valid hosts but
// "1.2.3.4 junk" is not; up to 2.28 it accepted the trailing text.
func InetAtonExact(s string) ([4]byte, error) {
	a, end, err := parseIPv4("inet_aton", s)
	if err != nil {
		return a, err
	}
	if end != len(s) {
		return [4]byte{}, &ParseError{Func: "inet_aton", Input: s, Msg: fmt.Sprintf("trailing text %q after the address", s[end:])}
	}
	return a, nil
}

// InetNtoa formats a packed IPv4 address in network byte order as a dotted
// quad, like the C library's inet_ntoa. Parsing the result with [InetAton]
// or [InetAtonExact] gives b back.
func InetNtoa(b [4]byte) string {
	return netip.AddrFrom4(b).String()
}

// parseIPv4 follows glibc's inet_aton_end (resolv/inet_addr.c). It returns
// the address and the index just past its last digit; text from there on
// is empty or starts with a C whitespace character.
func parseIPv4(fn, s string) (addr [4]byte, end int, err error) {
	fail := func(format string, args ...any) ([4]byte, int, error) {
		return [4]byte{}, 0, &ParseError{Func: fn, Input: s, Msg: fmt.Sprintf(format, args...)}
	}
	var (
		dotted [3]byte // the parts before the last, one byte each
		n      int     // how many of them
		i      int     // where parsing is in s
		last   uint64  // the value of the part being read
		start  int     // where that part starts
	)
	for {
		part := n + 1
		if i == len(s) {
			if n == 0 {
				return fail("empty address")
			}
			return fail("part %d is empty", part)
		}
		// glibc checks for a digit before calling strtoul, which would
		// otherwise skip spaces and accept a sign.
		if !isDigit(s[i]) {
			return fail("part %d starts with %q, not a digit", part, s[i])
		}
		start = i
		var overflow bool
		last, i, overflow = strtoul(s, i)
		if overflow {
			return fail("part %d (%s) does not fit in 32 bits", part, s[start:i])
		}
		if i == len(s) || s[i] != '.' {
			break
		}
		if n == len(dotted) {
			return fail("more than 4 parts")
		}
		if last > 0xff {
			return fail("part %d (%s) is greater than 255", part, s[start:i])
		}
		dotted[n] = byte(last)
		n++
		i++
	}
	if i < len(s) && !isCSpace(s[i]) {
		return fail("unexpected %q after part %d", s[i], n+1)
	}
	// The last part fills the bytes the dotted parts left.
	if bits := 32 - 8*n; last>>bits != 0 {
		return fail("part %d (%s) is greater than %d, the most its %d bits can hold", n+1, s[start:i], uint64(1)<<bits-1, bits)
	}
	copy(addr[:], dotted[:n])
	for k := 3; k >= n; k-- {
		addr[k] = byte(last)
		last >>= 8
	}
	return addr, i, nil
}

// strtoul reads the unsigned integer literal at s[i:], which starts with a
// digit, as C's strtoul(s, &end, 0) does: 0x or 0X then hex digits, 0 then
// octal digits, or decimal digits. It returns the value, the index after the
// literal and whether the value exceeds 32 bits; all digits are consumed
// either way, as strtoul consumes them when it overflows.
func strtoul(s string, i int) (v uint64, end int, overflow bool) {
	base := uint64(10)
	if s[i] == '0' {
		base = 8
		// strtoul takes "0x" as a prefix only when a hex digit follows;
		// otherwise the literal is the octal 0 and the x is left over.
		if i+2 < len(s) && (s[i+1] == 'x' || s[i+1] == 'X') && digitValue(s[i+2]) < 16 {
			base = 16
			i += 2
		}
	}
	for ; i < len(s); i++ {
		d := uint64(digitValue(s[i]))
		if d >= base {
			break
		}
		if !overflow {
			v = v*base + d
			overflow = v > 0xffffffff
		}
	}
	return v, i, overflow
}

// digitValue returns the value of c as a hexadecimal digit, or 255.
func digitValue(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10
	}
	return 255
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isCSpace reports whether c is a space in the C locale's isspace.
func isCSpace(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\v', '\f', '\r':
		return true
	}
	return false
}
