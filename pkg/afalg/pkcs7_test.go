package afalg

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPad(t *testing.T) {
	assert.Equal(t, bytes.Repeat([]byte{16}, 16), pad(nil, 16), "empty input gets a whole block")
	assert.Equal(t, []byte("Demo AF_ALG\x05\x05\x05\x05\x05"), pad([]byte("Demo AF_ALG"), 16))
	assert.Equal(t, append([]byte("0123456789abcde"), 1), pad([]byte("0123456789abcde"), 16))
	for n := range 50 {
		in := message(n)
		p := pad(in, 16)
		require.Zero(t, len(p)%16, "length %d", n)
		require.Equal(t, in, p[:n], "length %d: input changed", n)
		k := len(p) - n
		require.True(t, k >= 1 && k <= 16, "length %d: %d bytes of padding", n, k)
		require.Equal(t, bytes.Repeat([]byte{byte(k)}, k), p[n:], "length %d", n)
		out, err := unpad(p, 16)
		require.NoError(t, err, "length %d", n)
		require.Equal(t, in, out, "length %d", n)
	}
}

func TestUnpadRejects(t *testing.T) {
	block := func(tail ...byte) []byte {
		return append(bytes.Repeat([]byte{'x'}, 16-len(tail)), tail...)
	}
	for name, in := range map[string][]byte{
		"empty":                 nil,
		"not a block multiple":  []byte("Demo AF_ALG\x05"),
		"zero pad byte":         block(0),
		"pad longer than block": block(17),
		"pad 255":               block(255),
		"inconsistent bytes":    block(3, 2, 3),
		"first pad byte wrong":  block(3, 4, 4, 4),
		"whole block wrong":     append(bytes.Repeat([]byte{16}, 15), 15),
	} {
		_, err := unpad(in, 16)
		assert.ErrorIs(t, err, ErrPadding, name)
	}
	out, err := unpad(bytes.Repeat([]byte{16}, 32), 16)
	require.NoError(t, err)
	assert.Equal(t, bytes.Repeat([]byte{16}, 16), out, "only the last block is padding")
}

// FuzzPKCS7 checks that unpad undoes pad, and that whatever unpad accepts is
// exactly what pad would have produced.
func FuzzPKCS7(f *testing.F) {
	f.Add([]byte("Demo AF_ALG"))
	f.Add([]byte{})
	f.Add(bytes.Repeat([]byte{16}, 16))
	f.Add(append(bytes.Repeat([]byte{'x'}, 13), 3, 3, 3))
	f.Fuzz(func(t *testing.T, in []byte) {
		out, err := unpad(pad(in, 16), 16)
		if err != nil || !bytes.Equal(out, in) {
			t.Fatalf("unpad(pad(%x)) = %x, %v", in, out, err)
		}
		out, err = unpad(in, 16)
		if err != nil {
			if err != ErrPadding {
				t.Fatalf("unpad(%x) error %v, want ErrPadding", in, err)
			}
			return
		}
		if !bytes.Equal(pad(out, 16), in) {
			t.Fatalf("unpad(%x) = %x, which pads to something else", in, out)
		}
	})
}
