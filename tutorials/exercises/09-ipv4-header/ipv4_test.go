package ipv4

import (
	"encoding/hex"
	"net/netip"
	"strings"
	"testing"
)

// A TCP SYN to 127.0.0.1 captured with a raw socket on loopback, and an ICMP
// echo request with a 4-byte IP option (router alert) built for this test.
const (
	capturedSYN = "4500003cb198400040068b217f0000017f000001ea729515467f2b4a00000000a002ffd7fe3000000204ffd70402080a473c6686000000000103030a"
	withOption  = "46000020000100004001d1d50a0000010a000002940400000800f7fd0001000100"
)

func decode(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestChecksum(t *testing.T) {
	syn := decode(t, capturedSYN)
	if got := Checksum(syn[:20]); got != 0 {
		t.Errorf("Checksum over a correct header = %#04x, want 0", got)
	}
	hdr := append([]byte{}, syn[:20]...)
	hdr[10], hdr[11] = 0, 0
	if got := Checksum(hdr); got != 0x8b21 {
		t.Errorf("Checksum with the field zeroed = %#04x, want the captured value 0x8b21", got)
	}
	// RFC 1071's worked example: the words 0001 f203 f4f5 f6f7 sum to ddf2
	// (with the carry folded in), whose complement is 220d.
	if got := Checksum([]byte{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7}); got != 0x220d {
		t.Errorf("Checksum of RFC 1071's example = %#04x, want 0x220d", got)
	}
	if got := Checksum([]byte{0x01}); got != 0xfeff {
		t.Errorf("Checksum of an odd byte 01 = %#04x, want 0xfeff (padded with a zero: 0100)", got)
	}
}

func TestParseCaptured(t *testing.T) {
	b := decode(t, capturedSYN)
	b = append(b, 0, 0, 0, 0) // link-layer padding after the packet
	h, err := Parse(b)
	if err != nil {
		t.Fatalf("Parse(captured SYN): %v", err)
	}
	lo := netip.MustParseAddr("127.0.0.1")
	if h.Version != 4 || h.IHL != 5 || h.TotalLen != 60 || h.ID != 0xb198 || !h.DontFrag || h.MoreFrag ||
		h.FragOff != 0 || h.TTL != 64 || h.Protocol != 6 || h.Checksum != 0x8b21 || h.Src != lo || h.Dst != lo {
		t.Errorf("Parse(captured SYN) = %+v\nwant version 4, IHL 5, total 60, ID 0xb198, DF, TTL 64, protocol 6 (TCP), checksum 0x8b21, 127.0.0.1 -> 127.0.0.1", h)
	}
	if len(h.Options) != 0 || len(h.Payload) != 40 {
		t.Errorf("got %d option bytes and %d payload bytes, want 0 and 40 (the padding is not payload)", len(h.Options), len(h.Payload))
	}
}

func TestParseOptions(t *testing.T) {
	h, err := Parse(decode(t, withOption))
	if err != nil {
		t.Fatalf("Parse(packet with an option): %v", err)
	}
	if h.IHL != 6 || len(h.Options) != 4 || h.Options[0] != 0x94 || h.Protocol != 1 || len(h.Payload) != 8 {
		t.Errorf("got IHL %d, options % x, protocol %d, %d payload bytes; want 6, 94 04 00 00, 1 (ICMP), 8", h.IHL, h.Options, h.Protocol, len(h.Payload))
	}
	if h.Src != netip.MustParseAddr("10.0.0.1") || h.Dst != netip.MustParseAddr("10.0.0.2") {
		t.Errorf("got %s -> %s, want 10.0.0.1 -> 10.0.0.2", h.Src, h.Dst)
	}
}

func TestParseRejects(t *testing.T) {
	good := decode(t, capturedSYN)
	mod := func(f func(b []byte) []byte) []byte { return f(append([]byte{}, good...)) }
	for name, tc := range map[string]struct {
		b   []byte
		say string
	}{
		"19 bytes":          {good[:19], "19"},
		"version 6":         {mod(func(b []byte) []byte { b[0] = 0x65; return b }), "version 6"},
		"IHL 4":             {mod(func(b []byte) []byte { b[0] = 0x44; return b }), "4"},
		"IHL 15, 60 bytes":  {mod(func(b []byte) []byte { b[0] = 0x4f; return b })[:40], "60"},
		"total length 10":   {mod(func(b []byte) []byte { b[2], b[3] = 0, 10; return b }), "10"},
		"total length 1000": {mod(func(b []byte) []byte { b[2], b[3] = 0x03, 0xe8; return b }), "1000"},
		"corrupted TTL":     {mod(func(b []byte) []byte { b[8] = 63; return b }), "checksum"},
	} {
		_, err := Parse(tc.b)
		if err == nil {
			t.Errorf("Parse(%s): want an error", name)
		} else if !strings.Contains(err.Error(), tc.say) {
			t.Errorf("Parse(%s): error %q should mention %q", name, err, tc.say)
		}
	}
}

func TestNeverPanics(t *testing.T) {
	good := decode(t, withOption)
	for n := range len(good) + 1 {
		Parse(good[:n])
	}
	for i := range good {
		for v := range 256 {
			b := append([]byte{}, good...)
			b[i] = byte(v)
			Parse(b)
		}
	}
}
