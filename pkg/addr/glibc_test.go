//go:build glibc && cgo

package addr

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/sockbook/sockbook/pkg/addr/internal/glibc"
	"github.com/stretchr/testify/require"
)

// generated is how many random inputs TestParsersMatchGlibc makes.
const generated = 200_000

// glibcCorpus holds the edge cases the generator might take long to hit.
var glibcCorpus = []string{
	"", ".", "..", "...", "....", "0", "00", "0x", "0X", "0x0", "0x.1", "0x1.", "x1",
	"1.2.3.4", "1.2.3.4.", ".1.2.3.4", "1.2.3.4.5", "1..2", "1.2..3", "1.2.3.",
	"255.255.255.255", "256.0.0.0", "0.0.0.256", "10.0.0.256", "1.2.65535", "1.2.65536",
	"1.16777215", "1.16777216", "4294967295", "4294967296", "18446744073709551615",
	"18446744073709551616", "99999999999999999999999999999999", "0xffffffff", "0x100000000",
	"0xFFFFFFFF", "0XfFfF.1", "037777777777", "040000000000", "0377.0377.0377.0377",
	"0400.0.0.0", "08", "09.1.1.1", "0.08", "1.2.3.08", "012.1", "0x0000000000000000000001",
	"0000000000000000000000000000000012", "0xc000027b", "3221226198", "192.0.2.244",
	"+1.2.3.4", "-1", "1.+2.3.4", " 1.2.3.4", "\t1.2.3.4", "1.2.3.4 ", "1.2.3.4 junk",
	"1.2.3.4\tjunk", "1.2.3.4\njunk", "1.2.3.4\vjunk", "1.2.3.4\fjunk", "1.2.3.4\rjunk",
	"1.2.3.4junk", "1.2.3.4\x80", "1.2.3.4 \x80", "1.2.3.4\xa0", "1 .2.3.4", "1. 2.3.4",
	"0x 1", "0x1 ", "1e3", "1,2,3,4", "1.2.3.4%lo", "١.٢.٣.٤", "1.2.3.0x", "1.2.3.0xg",
	"::", "::1", "::1%lo", "::1%1", "fe80::1", "fe80::1%lo", "fe80::1%1", "fe80::1%",
	"fe80::1%lo%lo", "fe80::1%nonexistent0", "fe80::1%4294967295", "fe80::1%4294967296",
	"fe80::1%+1", "fe80::1%0x1", "fe80::1%01", "febf::1%lo", "fec0::1%lo", "ff02::1%lo",
	"ff01::1%lo", "ff05::1%lo", "ff12::1%lo", "2001:db8::1%lo", "2001:db8::1%7",
	"2001:db8:f00d::1:d", "::ffff:192.0.2.128", "::ffff:192.0.2.128%lo", "::192.0.2.1",
	"::ffff:1.2.3", "::ffff:1.2.3.04", "::ffff:0x1.2.3.4", "::ffff:1.2.3.256",
	"1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "1::2:3:4:5:6:7:8", "1:2:3:4:5:6:7::",
	"::2:3:4:5:6:7:8", "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:7:1.2.3.4", "1::1.2.3.4",
	":1::", "1:::2", "1::2::3", "12345::", "01234::", "0:0:0:0:0:0:0:0", "[::1]",
	"::1 ", " ::1", "::g", "1.2.3.4::", "::1.2.3.4:5", "FE80::ABCD%lo", "*",
}

// TestParsersMatchGlibc compares InetAton with glibc's inet_aton, and
// ParseNumericHost (hence InetAtonExact) with glibc's getaddrinfo under
// AI_NUMERICHOST, over a corpus of edge cases and random near-valid text.
func TestParsersMatchGlibc(t *testing.T) {
	// A fixed seed keeps failures reproducible; SOCKBOOK_SEED explores others.
	seed := uint64(20260126)
	if env := os.Getenv("SOCKBOOK_SEED"); env != "" {
		var err error
		seed, err = strconv.ParseUint(env, 10, 64)
		require.NoError(t, err, "SOCKBOOK_SEED")
	}
	rng := rand.New(rand.NewPCG(seed, seed))
	inputs := append([]string(nil), glibcCorpus...)
	for range generated {
		inputs = append(inputs, genAddress(rng))
	}
	var atonValid, hostValid, mismatches int
	for _, s := range inputs {
		if strings.IndexByte(s, 0) >= 0 {
			continue // C would stop reading at the NUL; see InetAton's doc
		}
		valid, err := matchInetAton(t, s)
		if valid {
			atonValid++
		}
		valid, err2 := matchNumericHost(t, s)
		if valid {
			hostValid++
		}
		for _, err := range []error{err, err2} {
			if err == nil {
				continue
			}
			if mismatches++; mismatches <= 20 {
				t.Error(err)
			}
		}
	}
	t.Logf("compared %d inputs (seed %d): %d valid for inet_aton, %d valid for getaddrinfo AI_NUMERICHOST; %d mismatches",
		len(inputs), seed, atonValid, hostValid, mismatches)
}

// matchInetAton reports whether glibc's inet_aton accepts s and, as an
// error, how InetAton disagrees with it.
func matchInetAton(t *testing.T, s string) (valid bool, mismatch error) {
	want, ok, err := glibc.InetAton(s)
	require.NoError(t, err)
	got, gerr := InetAton(s)
	switch {
	case ok != (gerr == nil):
		return ok, fmt.Errorf("InetAton(%q): err = %v, but glibc accepts = %v", s, gerr, ok)
	case ok && got != want:
		return ok, fmt.Errorf("InetAton(%q) = %v, glibc gives %v", s, got, want)
	}
	return ok, nil
}

// matchNumericHost reports whether glibc's getaddrinfo accepts s as a
// numeric host and, as an error, how ParseNumericHost disagrees with it.
func matchNumericHost(t *testing.T, s string) (valid bool, mismatch error) {
	want, ok, err := glibc.NumericHost(s)
	require.NoError(t, err)
	got, gerr := ParseNumericHost(s)
	if ok != (gerr == nil) {
		return ok, fmt.Errorf("ParseNumericHost(%q): err = %v, but glibc accepts = %v (%+v)", s, gerr, ok, want)
	}
	if !ok {
		return false, nil
	}
	if want.Count != 1 {
		return ok, fmt.Errorf("getaddrinfo(%q) gave %d results, want 1", s, want.Count)
	}
	var addr [16]byte
	if got.Addr.Is4() {
		a4 := got.Addr.As4()
		copy(addr[:], a4[:])
	} else {
		addr = got.Addr.As16()
	}
	if int(got.Family) != want.Family || addr != want.Addr || got.ScopeID != want.ScopeID {
		return ok, fmt.Errorf("ParseNumericHost(%q) = %v, glibc gives family %d, address % x, scope %d",
			s, got, want.Family, want.Addr, want.ScopeID)
	}
	return ok, nil
}

// genAddress makes text that is, or is nearly, an address: mostly IPv4 in
// the inet_aton forms, sometimes IPv6, with the mistakes parsers trip on.
func genAddress(r *rand.Rand) string {
	var b strings.Builder
	if r.IntN(20) == 0 {
		b.WriteString(pick(r, " ", "\t", "+", "-", "0", "x", ".", "\n"))
	}
	if r.IntN(8) == 0 {
		b.WriteString(genIPv6(r))
	} else {
		parts := 1 + r.IntN(4)
		if r.IntN(15) == 0 {
			parts = 5 + r.IntN(2)
		}
		for i := range parts {
			if i > 0 {
				b.WriteString(".")
				if r.IntN(60) == 0 {
					b.WriteString(".")
				}
			}
			b.WriteString(genPart(r, parts, i))
		}
	}
	switch r.IntN(12) {
	case 0:
		b.WriteString(pick(r, " ", "\t", "\n", "\v", "\f", "\r"))
		b.WriteString(pick(r, "", "junk", "1.2.3.4", "\x80", ".", " "))
	case 1:
		b.WriteString(pick(r, ".", "x", "g", ":", "%", "/8", "%lo", "\x80", "\xff", "\x01", "_", "8", "9"))
	case 2:
		b.WriteByte(byte(1 + r.IntN(255)))
	}
	return b.String()
}

// genPart makes part i of n of an IPv4 address, near the limits that part
// has: 255 for a dotted part, the remaining bits for the last one.
func genPart(r *rand.Rand, n, i int) string {
	limit := uint64(0xff)
	if i == n-1 && n <= 4 {
		limit = 1<<(32-8*(n-1)) - 1
	}
	var v uint64
	switch r.IntN(6) {
	case 0:
		v = r.Uint64N(256)
	case 1:
		v = limit - 2 + r.Uint64N(5) // across the limit
	case 2:
		v = r.Uint64N(limit + 1)
	case 3:
		v = r.Uint64N(1 << 33)
	case 4:
		v = 1<<32 - 2 + r.Uint64N(4)
	default:
		v = r.Uint64()
	}
	switch r.IntN(30) {
	case 0:
		return ""
	case 1:
		return pick(r, "0x", "0X", "0", "00", "0x0", "08", "019", "0xg", "x", "-1", "+1", " 1")
	case 2:
		return strings.Repeat("9", 10+r.IntN(30))
	case 3:
		return strings.Repeat("0", 1+r.IntN(30)) + fmt.Sprint(r.IntN(300))
	case 4:
		return "0x" + strings.Repeat("0", r.IntN(30)) + fmt.Sprintf("%x", r.Uint64N(1<<33))
	}
	switch r.IntN(4) {
	case 0:
		prefix := pick(r, "0x", "0X")
		digits := fmt.Sprintf("%x", v)
		if r.IntN(2) == 0 {
			digits = strings.ToUpper(digits)
		}
		return prefix + strings.Repeat("0", r.IntN(3)) + digits
	case 1:
		return "0" + fmt.Sprintf("%o", v)
	default:
		return fmt.Sprint(v)
	}
}

// genIPv6 makes IPv6 text with the odd cases: a missing or doubled ::, too
// many or too long groups, an embedded IPv4 address, a zone.
func genIPv6(r *rand.Rand) string {
	groups := make([]string, 1+r.IntN(9))
	for i := range groups {
		switch r.IntN(12) {
		case 0:
			groups[i] = ""
		case 1:
			groups[i] = fmt.Sprintf("%05x", r.IntN(0x100000))
		default:
			groups[i] = fmt.Sprintf("%x", r.IntN(0x10000))
		}
	}
	if r.IntN(3) == 0 {
		groups[0] = pick(r, "fe80", "febf", "fec0", "ff02", "ff01", "ff12", "::ffff", "")
	}
	if r.IntN(6) == 0 {
		groups[len(groups)-1] = fmt.Sprintf("%d.%d.%d.%d", r.IntN(300), r.IntN(256), r.IntN(256), r.IntN(256))
	}
	s := strings.Join(groups, ":")
	if r.IntN(2) == 0 {
		at := r.IntN(len(s) + 1)
		for at > 0 && at < len(s) && s[at-1] != ':' {
			at--
		}
		s = s[:at] + ":" + s[at:]
	}
	if r.IntN(3) == 0 {
		s += "%" + pick(r, "lo", "1", "2", "0", "eth0", "ifb0", "nope", "", "4294967296", "01", "x1")
	}
	return s
}

func pick(r *rand.Rand, choices ...string) string {
	return choices[r.IntN(len(choices))]
}
