package byteorder

import (
	"bytes"
	"strings"
	"testing"
)

func TestSwap(t *testing.T) {
	for in, want := range map[uint16]uint16{1: 0x0100, 0x1234: 0x3412, 0xff00: 0x00ff, 0: 0} {
		if got := Swap16(in); got != want {
			t.Errorf("Swap16(%#04x) = %#04x, want %#04x", in, got, want)
		}
	}
	for in, want := range map[uint32]uint32{1: 0x01000000, 0x12345678: 0x78563412, 0xff: 0xff000000} {
		if got := Swap32(in); got != want {
			t.Errorf("Swap32(%#08x) = %#08x, want %#08x", in, got, want)
		}
	}
	// Swapping twice is the identity, as ntohs(htons(x)) == x.
	for _, x := range []uint32{0, 1, 0xdeadbeef, 0x80000001} {
		if got := Swap32(Swap32(x)); got != x {
			t.Errorf("Swap32(Swap32(%#x)) = %#x, want it back", x, got)
		}
	}
}

func TestHeaderWire(t *testing.T) {
	h := Header{Version: 1, Flags: 0x80, Length: 0x0102, Seq: 0x0a0b0c0d}
	got, err := h.MarshalBinary()
	if err != nil {
		t.Fatalf("MarshalBinary: %v", err)
	}
	want := []byte{1, 0x80, 0x01, 0x02, 0x0a, 0x0b, 0x0c, 0x0d}
	if !bytes.Equal(got, want) {
		t.Fatalf("MarshalBinary(%+v) = % x, want % x (most significant byte first)", h, got, want)
	}
	var back Header
	if err := back.UnmarshalBinary(append(got, 0xee, 0xff)); err != nil {
		t.Fatalf("UnmarshalBinary(% x): %v (trailing bytes must be ignored)", got, err)
	}
	if back != h {
		t.Errorf("round trip: got %+v, want %+v", back, h)
	}
}

func TestHeaderShort(t *testing.T) {
	for n := 0; n < HeaderLen; n++ {
		var h Header
		err := h.UnmarshalBinary(make([]byte, n))
		if err == nil {
			t.Errorf("UnmarshalBinary of %d bytes: want an error", n)
			continue
		}
		if !strings.Contains(err.Error(), "8") {
			t.Errorf("UnmarshalBinary of %d bytes: error %q should say how many bytes a header needs", n, err)
		}
	}
}
