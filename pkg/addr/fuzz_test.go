package addr

import (
	"strings"
	"testing"
)

// FuzzInetAton checks what must hold between the parsers for any text:
// no panic, InetAtonExact accepts a subset of what InetAton does with the
// same result, a lenient parse stops at whitespace, and formatting a result
// parses back to it.
func FuzzInetAton(f *testing.F) {
	for _, s := range []string{"127.0.0.1", "0xc000027b", "3221226198", "1.2.3.4 junk", "10.0.0.256", "0x", "08", "1.0x10203", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lenient, lerr := InetAton(s)
		exact, eerr := InetAtonExact(s)
		if eerr == nil {
			if lerr != nil {
				t.Fatalf("InetAtonExact(%q) = %v but InetAton fails: %v", s, exact, lerr)
			}
			if exact != lenient {
				t.Fatalf("InetAtonExact(%q) = %v, InetAton = %v", s, exact, lenient)
			}
		}
		if lerr != nil {
			if !strings.Contains(lerr.Error(), "inet_aton") {
				t.Fatalf("InetAton(%q) error %q does not say what failed", s, lerr)
			}
			return
		}
		// The address is what comes before the first C space.
		head, _, cut := cutCSpace(s)
		again, err := InetAtonExact(head)
		if err != nil || again != lenient {
			t.Fatalf("InetAton(%q) = %v, but its head %q gives %v, %v", s, lenient, head, again, err)
		}
		if (eerr == nil) == cut {
			t.Fatalf("InetAtonExact(%q) err = %v, though the text has trailing space = %v", s, eerr, cut)
		}
		back, err := InetAtonExact(InetNtoa(lenient))
		if err != nil || back != lenient {
			t.Fatalf("InetNtoa(%v) = %q does not parse back: %v, %v", lenient, InetNtoa(lenient), back, err)
		}
		ai, err := ParseNumericHost(head)
		if err != nil || ai.Family != AFInet || ai.Addr.As4() != lenient {
			t.Fatalf("ParseNumericHost(%q) = %v, %v; want AF_INET %v", head, ai, err, lenient)
		}
	})
}

func cutCSpace(s string) (before, after string, found bool) {
	for i := 0; i < len(s); i++ {
		if isCSpace(s[i]) {
			return s[:i], s[i:], true
		}
	}
	return s, "", false
}

// FuzzParseNumericHost checks that any text gives an error naming it or a
// result that formats back to the same address.
func FuzzParseNumericHost(f *testing.F) {
	for _, s := range []string{"192.0.2.244", "2001:db8:f00d::1:d", "fe80::1%lo", "fe80::1%1", "::ffff:192.0.2.128", "0xc000027b", "1.2.3.4%lo", "fe80::1%lo:x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ai, err := ParseNumericHost(s)
		if err != nil {
			if !strings.Contains(err.Error(), "getaddrinfo") {
				t.Fatalf("ParseNumericHost(%q) error %q does not say what failed", s, err)
			}
			return
		}
		switch ai.Family {
		case AFInet:
			if !ai.Addr.Is4() || strings.Contains(s, "%") {
				t.Fatalf("ParseNumericHost(%q) = %v", s, ai)
			}
		case AFInet6:
			if !ai.Addr.Is6() || ai.Addr.Zone() == "" && ai.ScopeID != 0 {
				t.Fatalf("ParseNumericHost(%q) = %v", s, ai)
			}
		default:
			t.Fatalf("ParseNumericHost(%q) has family %v", s, ai.Family)
		}
		again, err := ParseNumericHost(ai.Addr.WithZone("").String())
		if err != nil || again.Addr != ai.Addr.WithZone("") || again.Family != ai.Family {
			t.Fatalf("ParseNumericHost(%q) = %v, which parses back as %v, %v", s, ai, again, err)
		}
	})
}
