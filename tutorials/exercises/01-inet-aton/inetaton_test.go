package inetaton

import (
	"strings"
	"testing"
)

func TestParseStrict(t *testing.T) {
	good := map[string][4]byte{
		"127.0.0.1":       {127, 0, 0, 1},
		"0.0.0.0":         {0, 0, 0, 0},
		"255.255.255.255": {255, 255, 255, 255},
		"192.168.10.200":  {192, 168, 10, 200},
	}
	for in, want := range good {
		got, err := ParseStrict(in)
		if err != nil {
			t.Errorf("ParseStrict(%q): unexpected error %v", in, err)
			continue
		}
		if got != want {
			t.Errorf("ParseStrict(%q) = %v, want %v", in, got, want)
		}
	}
	bad := []string{"", "1.2.3", "1.2.3.4.5", "1.2.3.256", "01.2.3.4", "1.2.3.-4",
		"1.2.3.+4", " 1.2.3.4", "1..3.4", "1.2.3.4.", "0x7f.0.0.1", "1.2.3.a", "1.2.3.1_0"}
	for _, in := range bad {
		if got, err := ParseStrict(in); err == nil {
			t.Errorf("ParseStrict(%q) = %v, want an error: the strict form is four decimal octets", in, got)
		} else if !strings.Contains(err.Error(), in) && in != "" {
			t.Errorf("ParseStrict(%q): error %q should quote the input", in, err)
		}
	}
}

func TestParseLenient(t *testing.T) {
	// Each expectation is what glibc's inet_aton returns for the same text.
	good := map[string][4]byte{
		"127.0.0.1":       {127, 0, 0, 1},
		"127.1":           {127, 0, 0, 1},
		"10.1.258":        {10, 1, 1, 2},
		"2130706433":      {127, 0, 0, 1},
		"0x7f.1":          {127, 0, 0, 1},
		"0X7F.0.0.01":     {127, 0, 0, 1},
		"0177.0.0.1":      {127, 0, 0, 1},
		"0":               {0, 0, 0, 0},
		"00":              {0, 0, 0, 0},
		"0xffffffff":      {255, 255, 255, 255},
		"1.0xffffff":      {1, 255, 255, 255},
		"255.255.255.255": {255, 255, 255, 255},
		"1.2.0xffff":      {1, 2, 255, 255},
	}
	for in, want := range good {
		got, err := ParseLenient(in)
		if err != nil {
			t.Errorf("ParseLenient(%q): unexpected error %v", in, err)
			continue
		}
		if got != want {
			t.Errorf("ParseLenient(%q) = %v, want %v", in, got, want)
		}
	}
	bad := []string{"", "1.2.3.4.5", "1.2.3.256", "1.2.65536", "1.16777216", "4294967296",
		"08", "0x", "0xg", "1..2", "1.2.3.", "-1", "+1", " 1", "1_0", "0b1", "0o7", "256.1"}
	for _, in := range bad {
		if got, err := ParseLenient(in); err == nil {
			t.Errorf("ParseLenient(%q) = %v, want an error (glibc rejects it)", in, got)
		} else if in != "" && !strings.Contains(err.Error(), in) {
			t.Errorf("ParseLenient(%q): error %q should quote the input", in, err)
		}
	}
}
