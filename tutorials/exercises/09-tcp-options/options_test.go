package tcpopts

import (
	"encoding/hex"
	"reflect"
	"strings"
	"testing"
)

// Segments captured with a raw socket on loopback: a client's SYN, the
// server's SYN-ACK, the final ACK of the handshake and a data segment ("hi").
// Each is a whole IPv4 packet; its IP header is 20 bytes.
var captured = map[string]string{
	"SYN":     "4500003cb198400040068b217f0000017f000001ea729515467f2b4a00000000a002ffd7fe3000000204ffd70402080a473c6686000000000103030a",
	"SYN-ACK": "4500003c0000400040063cba7f0000017f0000019515ea721bfa7472467f2b4ba012ffcbfe3000000204ffd70402080a5c0e5e66473c66860103030a",
	"ACK":     "45000034b199400040068b287f0000017f000001ea729515467f2b4b1bfa747380100040fe2800000101080a473c66865c0e5e66",
	"data":    "45000036b19a400040068b257f0000017f000001ea729515467f2b4b1bfa747380180040fe2a00000101080a473c66895c0e5e666869",
}

func tcpOf(t *testing.T, name string) []byte {
	t.Helper()
	b, err := hex.DecodeString(captured[name])
	if err != nil {
		t.Fatal(err)
	}
	return b[20:]
}

func TestCapturedHandshake(t *testing.T) {
	want := map[string]Options{
		"SYN": {MSS: 65495, HasMSS: true, SACKPermitted: true, TSval: 0x473c6686, HasTimestamps: true,
			WindowScale: 10, HasWindowScale: true},
		"SYN-ACK": {MSS: 65495, HasMSS: true, SACKPermitted: true, TSval: 0x5c0e5e66, TSecr: 0x473c6686,
			HasTimestamps: true, WindowScale: 10, HasWindowScale: true},
		"ACK":  {TSval: 0x473c6686, TSecr: 0x5c0e5e66, HasTimestamps: true},
		"data": {TSval: 0x473c6689, TSecr: 0x5c0e5e66, HasTimestamps: true},
	}
	for name, w := range want {
		raw, err := OptionBytes(tcpOf(t, name))
		if err != nil {
			t.Fatalf("%s: OptionBytes: %v", name, err)
		}
		wantLen := map[string]int{"SYN": 20, "SYN-ACK": 20, "ACK": 12, "data": 12}[name]
		if len(raw) != wantLen {
			t.Fatalf("%s: OptionBytes returned %d bytes, want %d (data offset * 4 - 20)", name, len(raw), wantLen)
		}
		got, err := Parse(raw)
		if err != nil {
			t.Fatalf("%s: Parse(% x): %v", name, raw, err)
		}
		if !reflect.DeepEqual(got, w) {
			t.Errorf("%s: Parse(% x)\n got %+v\nwant %+v", name, raw, got, w)
		}
	}
}

func TestSACKBlocks(t *testing.T) {
	opts := []byte{1, 1, 5, 18,
		0, 0, 0x10, 0, 0, 0, 0x20, 0,
		0xff, 0xff, 0xff, 0xf0, 0, 0, 0, 0x10,
		0, 0} // end of list, then padding
	got, err := Parse(opts)
	if err != nil {
		t.Fatal(err)
	}
	want := []SACKBlock{{0x1000, 0x2000}, {0xfffffff0, 0x10}}
	if !reflect.DeepEqual(got.SACK, want) {
		t.Errorf("SACK blocks = %+v, want %+v (the second wraps around 2^32)", got.SACK, want)
	}
}

func TestUnknownAndEnd(t *testing.T) {
	// An unknown kind 30 (MPTCP) of length 6 is skipped; nothing after the
	// end-of-list option is read, even if it looks like an option.
	got, err := Parse([]byte{30, 6, 1, 2, 3, 4, 2, 4, 0x05, 0xb4, 0, 3, 3, 9})
	if err != nil {
		t.Fatal(err)
	}
	if !got.HasMSS || got.MSS != 1460 || got.HasWindowScale {
		t.Errorf("got %+v; want MSS 1460 and no window scale (it is after end-of-list)", got)
	}
}

func TestMalformed(t *testing.T) {
	for name, tc := range map[string]struct {
		opts []byte
		say  string
	}{
		"no length byte":       {[]byte{1, 2}, "kind 2"},
		"length 0":             {[]byte{30, 0}, "kind 30"},
		"length 1":             {[]byte{1, 1, 30, 1, 0, 0}, "offset 2"},
		"length past the end":  {[]byte{8, 10, 0, 0, 0, 1}, "kind 8"},
		"MSS of length 3":      {[]byte{2, 3, 5}, "kind 2"},
		"window scale len 4":   {[]byte{3, 4, 1, 1}, "kind 3"},
		"SACK with half block": {[]byte{5, 6, 1, 2, 3, 4}, "kind 5"},
		"timestamps of len 6":  {[]byte{8, 6, 1, 2, 3, 4}, "kind 8"},
	} {
		_, err := Parse(tc.opts)
		if err == nil {
			t.Errorf("Parse(%s: % x): want an error", name, tc.opts)
		} else if !strings.Contains(err.Error(), tc.say) {
			t.Errorf("Parse(%s): error %q should say %q", name, err, tc.say)
		}
	}
}

func TestBadHeader(t *testing.T) {
	syn := tcpOf(t, "SYN")
	for name, hdr := range map[string][]byte{
		"19 bytes":       syn[:19],
		"cut in options": syn[:30],
		"data offset 4":  append(append([]byte{}, syn[:12]...), append([]byte{0x40}, syn[13:]...)...),
	} {
		if _, err := OptionBytes(hdr); err == nil {
			t.Errorf("OptionBytes(%s): want an error", name)
		}
	}
}

func TestNeverPanics(t *testing.T) {
	// Every prefix of every option list, and every single-byte corruption
	// of the SYN's options, must give a result or an error, never a panic.
	raw, _ := OptionBytes(tcpOf(t, "SYN"))
	if raw == nil {
		t.Fatal("OptionBytes returned no options for the captured SYN")
	}
	for n := range len(raw) + 1 {
		Parse(raw[:n])
	}
	for i := range raw {
		for v := range 256 {
			c := append([]byte{}, raw...)
			c[i] = byte(v)
			Parse(c)
		}
	}
}
