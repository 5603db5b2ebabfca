package arpframe

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"fmt"
	"net/netip"
	"os"
	"strings"
	"testing"

	"github.com/sockbook/sockbook/pkg/sniff"
)

// frames reads testdata/frames.txt: real frames, one hex line each (see
// the comments there for how they were captured).
func frames(t *testing.T) (request, reply []byte) {
	t.Helper()
	f, err := os.Open("testdata/frames.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var got [][]byte
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		b, err := hex.DecodeString(line)
		if err != nil {
			t.Fatalf("testdata/frames.txt: %v", err)
		}
		got = append(got, b)
	}
	if err := sc.Err(); err != nil || len(got) != 2 {
		t.Fatalf("testdata/frames.txt: %d frames (%v), want 2", len(got), err)
	}
	return got[0], got[1]
}

var (
	macA      = [6]byte{0x3e, 0x9c, 0xd7, 0x93, 0xf4, 0x6c}
	macB      = [6]byte{0xda, 0xcc, 0x72, 0xba, 0x8a, 0x89}
	broadcast = [6]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
	ipA       = netip.MustParseAddr("10.9.0.1")
	ipB       = netip.MustParseAddr("10.9.0.2")
)

// TestParseRequest: task 1, decode the captured request.
func TestParseRequest(t *testing.T) {
	req, _ := frames(t)
	f, err := Parse(req)
	if err != nil {
		t.Fatalf("Parse(captured request): %v", err)
	}
	want := Frame{Dst: broadcast, Src: macA, Op: Request, SenderMAC: macA, SenderIP: ipA, TargetIP: ipB}
	if f != want {
		t.Errorf("Parse(captured request) =\n  %+v\nwant\n  %+v\n(a request goes to the broadcast address, and its target MAC is all zeros: that is the unknown being asked for)", f, want)
	}
}

// TestParseReply: task 1, decode the captured reply, and ignore padding.
func TestParseReply(t *testing.T) {
	_, rep := frames(t)
	want := Frame{Dst: macA, Src: macB, Op: Reply, SenderMAC: macB, SenderIP: ipB, TargetMAC: macA, TargetIP: ipA}
	f, err := Parse(rep)
	if err != nil {
		t.Fatalf("Parse(captured reply): %v", err)
	}
	if f != want {
		t.Errorf("Parse(captured reply) =\n  %+v\nwant\n  %+v", f, want)
	}
	// A real Ethernet card pads short frames to 60 bytes; veth does not.
	padded := append(append([]byte{}, rep...), make([]byte, 60-len(rep))...)
	if f, err := Parse(padded); err != nil || f != want {
		t.Errorf("Parse(reply padded to 60 bytes) = %+v, %v; want the same frame: bytes after the ARP packet are padding", f, err)
	}
}

// TestString: task 2, describe a frame as tcpdump does.
func TestString(t *testing.T) {
	req, rep := frames(t)
	for name, tc := range map[string]struct {
		b    []byte
		want string
	}{
		"request": {req, "who-has 10.9.0.2 tell 10.9.0.1"},
		"reply":   {rep, "10.9.0.2 is-at da:cc:72:ba:8a:89"},
	} {
		f, err := Parse(tc.b)
		if err != nil {
			t.Fatalf("Parse(captured %s): %v", name, err)
		}
		if got := f.String(); got != tc.want {
			t.Errorf("String of the captured %s = %q, want %q", name, got, tc.want)
		}
	}
}

// TestRejects: task 3, refuse what is not an ARP packet for IPv4 over
// Ethernet, with an error that names the bad value.
func TestRejects(t *testing.T) {
	_, rep := frames(t)
	mod := func(i int, v ...byte) []byte {
		b := append([]byte{}, rep...)
		copy(b[i:], v)
		return b
	}
	// An 802.1Q tag puts 0x8100 where the EtherType was.
	tagged := append(append(append([]byte{}, rep[:12]...), 0x81, 0x00, 0x00, 0x05), rep[12:]...)
	for name, tc := range map[string]struct {
		b   []byte
		say string
	}{
		"empty":              {nil, "0"},
		"13 bytes":           {rep[:13], "13"},
		"IPv4 EtherType":     {mod(12, 0x08, 0x00), "0x0800"},
		"802.1Q tag":         {tagged, "0x8100"},
		"27-byte ARP packet": {rep[:14+27], "27"},
		"hardware type 6":    {mod(14, 0x00, 0x06), "6"},
		"protocol type IPv6": {mod(16, 0x86, 0xdd), "0x86dd"},
		"hardware length 8":  {mod(18, 8), "8"},
		"protocol length 16": {mod(19, 16), "16"},
		"operation 3 (RARP)": {mod(20, 0x00, 0x03), "3"},
		"operation 0":        {mod(20, 0x00, 0x00), "0"},
	} {
		_, err := Parse(tc.b)
		if err == nil {
			t.Errorf("Parse(%s): no error, want one", name)
		} else if !strings.Contains(err.Error(), tc.say) {
			t.Errorf("Parse(%s): error %q should name the bad value %s", name, err, tc.say)
		}
	}
}

// oracleAccepts says, through pkg/sniff's decoders, whether b is an ARP
// frame for IPv4 over Ethernet with a known operation, and if so its Frame.
func oracleAccepts(b []byte) (Frame, bool) {
	eth, err := sniff.ParseEthernet(b)
	if err != nil || eth.EtherType != 0x0806 {
		return Frame{}, false
	}
	a, err := sniff.ParseARP(eth.Payload)
	if err != nil || a.HardwareType != 1 || a.ProtocolType != 0x0800 || a.HardwareLen != 6 || a.ProtocolLen != 4 ||
		(a.Op != Request && a.Op != Reply) {
		return Frame{}, false
	}
	return Frame{
		Dst: [6]byte(eth.Dst), Src: [6]byte(eth.Src), Op: a.Op,
		SenderMAC: [6]byte(a.SenderHardwareAddr), SenderIP: netip.AddrFrom4([4]byte(a.SenderProtocolAddr)),
		TargetMAC: [6]byte(a.TargetHardwareAddr), TargetIP: netip.AddrFrom4([4]byte(a.TargetProtocolAddr)),
	}, true
}

// TestAgreesWithLibrary: task 3 again, on every frame one byte away from
// the captured ones and on every truncation: Parse must accept exactly
// what pkg/sniff's decoders accept, decode it the same, and never panic.
func TestAgreesWithLibrary(t *testing.T) {
	req, rep := frames(t)
	check := func(b []byte, what string) bool {
		t.Helper()
		want, ok := oracleAccepts(b)
		got, err := Parse(b)
		switch {
		case ok && err != nil:
			t.Errorf("Parse(%s) = %v, but it is a valid ARP frame (% x)", what, err, b)
		case !ok && err == nil:
			t.Errorf("Parse(%s) accepted it, but it is not a valid ARP frame for IPv4 over Ethernet (% x)", what, b)
		case ok && got != want:
			t.Errorf("Parse(%s) = %+v, want %+v", what, got, want)
		default:
			return true
		}
		return false
	}
	for _, frame := range [][]byte{req, rep} {
		for n := range len(frame) {
			if !check(frame[:n], fmt.Sprintf("a frame cut to %d bytes", n)) {
				return
			}
		}
		for i := range frame {
			for v := range 256 {
				b := bytes.Clone(frame)
				b[i] = byte(v)
				if !check(b, "a captured frame with one byte changed") {
					return // one example is enough to learn from
				}
			}
		}
	}
}
