package pkcs7

import (
	"bytes"
	"errors"
	"testing"
)

func TestPad(t *testing.T) {
	for _, tc := range []struct {
		in   string
		bs   int
		want []byte
	}{
		{"", 16, bytes.Repeat([]byte{16}, 16)},
		{"YELLOW SUBMARINE", 16, append([]byte("YELLOW SUBMARINE"), bytes.Repeat([]byte{16}, 16)...)},
		{"YELLOW SUBMARINE", 20, []byte("YELLOW SUBMARINE\x04\x04\x04\x04")},
		{"abc", 4, []byte("abc\x01")},
		{"abc", 1, []byte("abc\x01")},
	} {
		in := []byte(tc.in)
		got := Pad(in, tc.bs)
		if !bytes.Equal(got, tc.want) {
			t.Errorf("Pad(%q, %d) = %q, want %q", tc.in, tc.bs, got, tc.want)
		}
		if string(in) != tc.in {
			t.Errorf("Pad(%q, %d) modified its input", tc.in, tc.bs)
		}
	}
}

func TestPadPanicsOnBadBlockSize(t *testing.T) {
	for _, bs := range []int{0, -1, 256} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Pad(_, %d) did not panic: a block size outside 1..255 is a programming error", bs)
				}
			}()
			Pad([]byte("x"), bs)
		}()
	}
}

func TestUnpadRoundTrip(t *testing.T) {
	for n := range 40 {
		data := bytes.Repeat([]byte{byte(n)}, n) // data that looks like padding
		got, err := Unpad(Pad(data, 16), 16)
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("Unpad(Pad(%d bytes)) = %d bytes, %v; want the data back", n, len(got), err)
		}
	}
}

func TestUnpadRejects(t *testing.T) {
	block := func(tail ...byte) []byte {
		return append(bytes.Repeat([]byte{'A'}, 16-len(tail)), tail...)
	}
	for name, in := range map[string][]byte{
		"empty":                  {},
		"not a multiple":         append(block(1), 1),
		"zero pad byte":          block(0),
		"pad byte above 16":      block(17),
		"pad byte 255":           block(255),
		"inconsistent padding":   block(3, 2, 3),
		"one wrong among many":   block(16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 15, 16),
		"pad longer than data 2": append(block(1), block(2, 2)[:15]...),
	} {
		got, err := Unpad(in, 16)
		if !errors.Is(err, ErrBadPadding) {
			t.Errorf("Unpad(%s: % x) = %q, %v; want an error wrapping ErrBadPadding", name, in, got, err)
		}
	}
}

// TestUnpadNeverLies tries every value of the last two bytes of a block:
// whatever Unpad accepts must be exactly what Pad would have produced.
func TestUnpadNeverLies(t *testing.T) {
	data := bytes.Repeat([]byte{2}, 16)
	for a := range 256 {
		for b := range 256 {
			data[14], data[15] = byte(a), byte(b)
			out, err := Unpad(data, 16)
			if err == nil && !bytes.Equal(Pad(out, 16), data) {
				t.Fatalf("Unpad accepted % x, but padding the result does not give it back", data)
			}
			if err == nil != (b == 1 || (b == 2 && a == 2)) {
				t.Fatalf("Unpad(% x): err = %v; the padding is %s", data, err, map[bool]string{true: "valid", false: "invalid"}[b == 1 || (b == 2 && a == 2)])
			}
		}
	}
}
