package mac

import (
	"net"
	"strings"
	"testing"
)

var want = [6]byte{0x00, 0x11, 0x32, 0x3c, 0xc3, 0x0b}

func TestParse(t *testing.T) {
	for _, in := range []string{
		"00:11:32:3c:c3:0b", "00:11:32:3C:C3:0B", "00-11-32-3c-c3-0b", "00-11-32-3C-C3-0B",
		"0011.323c.c30b", "0011.323C.C30B", "0011323cc30b", "0011323CC30B",
	} {
		got, err := Parse(in)
		if err != nil {
			t.Errorf("task Parse: Parse(%q): unexpected error %v", in, err)
			continue
		}
		if got != want {
			t.Errorf("task Parse: Parse(%q) = % x, want % x", in, got, want)
		}
	}
	// Whatever net.ParseMAC reads as six bytes, Parse must read the same.
	for _, in := range []string{"ff:ff:ff:ff:ff:ff", "02-42-ac-11-00-02", "5254.0012.3456"} {
		hw, err := net.ParseMAC(in)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Parse(in)
		if err != nil || string(got[:]) != string(hw) {
			t.Errorf("task Parse: Parse(%q) = % x, %v; net.ParseMAC reads % x", in, got, err, []byte(hw))
		}
	}
}

func TestParseRejects(t *testing.T) {
	for _, in := range []string{
		"", "00:11:32:3c:c3", "00:11:32:3c:c3:0b:aa", "00:11-32:3c:c3:0b", "0:11:32:3c:c3:0b",
		"000:11:32:3c:c3:0b", "0011.323c", "0011.323c.c30b.0000", "011.323c.c30b", "0011323cc30",
		"0011323cc30b00", "00:11:32:3c:c3:0g", "00:11:32:3c:c3:0b ", " 00:11:32:3c:c3:0b",
		"00:00:5e:00:53:01:02:03", "00 11 32 3c c3 0b", "0011323cc30x", "00::11:32:3c:c3",
	} {
		got, err := Parse(in)
		if err == nil {
			t.Errorf("task Parse: Parse(%q) = % x, want an error", in, got)
			continue
		}
		if in != "" && !strings.Contains(err.Error(), in) {
			t.Errorf("task Parse: Parse(%q): error %q should quote the input", in, err)
		}
	}
}

func TestFormat(t *testing.T) {
	for style, s := range map[Style]string{
		Colon: "00:11:32:3c:c3:0b", Hyphen: "00-11-32-3c-c3-0b", Dot: "0011.323c.c30b", Bare: "0011323cc30b",
	} {
		got, err := Format(want, style)
		if err != nil || got != s {
			t.Errorf("task Format: Format(% x, style %d) = %q, %v; want %q", want, style, got, err, s)
		}
		back, err := Parse(got)
		if err != nil || back != want {
			t.Errorf("task Format: Parse(Format(…, style %d)) = % x, %v; want the address back", style, back, err)
		}
	}
	if got, err := Format(want, Style(9)); err == nil {
		t.Errorf("task Format: Format with unknown style 9 = %q, want an error", got)
	}
}
