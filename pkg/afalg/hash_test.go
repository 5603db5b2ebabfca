package afalg

import (
	"bytes"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha3"
	"crypto/sha512"
	"errors"
	"hash"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stdHash computes the reference digest with the standard library directly.
func stdHash(name string, key, data []byte) []byte {
	plain := map[string]func() hash.Hash{
		"md5": md5.New, "sha1": sha1.New, "sha256": sha256.New, "sha512": sha512.New,
		"sha3-256": func() hash.Hash { return sha3.New256() },
	}
	var h hash.Hash
	switch name {
	case "hmac(sha256)":
		h = hmac.New(sha256.New, key)
	case "hmac(sha1)":
		h = hmac.New(sha1.New, key)
	default:
		h = plain[name]()
	}
	h.Write(data)
	return h.Sum(nil)
}

func TestHashMatchesStdlib(t *testing.T) {
	cases := []struct {
		name string
		key  []byte
	}{
		{"sha256", nil}, {"sha1", nil}, {"md5", nil}, {"sha512", nil}, {"sha3-256", nil},
		{"hmac(sha256)", []byte("key")},
		{"hmac(sha256)", bytes.Repeat([]byte("k"), 100)}, // longer than the block: hashed first
		{"hmac(sha256)", []byte{}},
		{"hmac(sha1)", []byte("key")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			backends(t, "hash", c.name, func(t *testing.T, b Backend) {
				h, err := NewHash(b, c.name, c.key)
				require.NoError(t, err)
				defer h.Close()
				assert.Equal(t, b, h.Backend())
				for _, n := range append(sizes, 1<<20+3) {
					data := message(n)
					want := stdHash(c.name, c.key, data)
					got, err := h.Sum(data)
					require.NoError(t, err, "Sum of %d bytes", n)
					require.Equal(t, want, got, "Sum of %d bytes", n)
					got, err = h.SumReader(bytes.NewReader(data))
					require.NoError(t, err, "SumReader of %d bytes", n)
					require.Equal(t, want, got, "SumReader of %d bytes", n)
				}
				// Odd-sized pieces each go in their own send.
				data := message(10000)
				got, err := h.SumReader(iotest.HalfReader(bytes.NewReader(data)))
				require.NoError(t, err)
				assert.Equal(t, stdHash(c.name, c.key, data), got)
			})
		})
	}
}

func TestHashCheatSheet(t *testing.T) {
	backends(t, "hash", "sha256", func(t *testing.T, b Backend) {
		h, err := NewHash(b, "sha256", nil)
		require.NoError(t, err)
		defer h.Close()
		got, err := h.Sum([]byte("Python is awesome!"))
		require.NoError(t, err)
		want := sha256.Sum256([]byte("Python is awesome!"))
		assert.Equal(t, want[:], got)
	})
}

func TestHashBadInput(t *testing.T) {
	backends(t, "hash", "sha256", func(t *testing.T, b Backend) {
		h, err := NewHash(b, "sha256", nil)
		require.NoError(t, err)
		readErr := errors.New("disk on fire")
		_, err = h.SumReader(iotest.ErrReader(readErr))
		assert.ErrorIs(t, err, readErr)
		require.NoError(t, h.Close())
		if b == Kernel {
			_, err = h.Sum(nil)
			assert.EqualError(t, err, "afalg: hash sha256: use after Close")
		}

		// A key for a hash that takes none.
		_, err = NewHash(b, "sha256", []byte("key"))
		assert.EqualError(t, err, "afalg: hash sha256 takes no key, got 3 bytes")
	})

	_, err := NewHash(Go, "whirlpool", nil)
	assert.ErrorIs(t, err, ErrUnsupported)
	assert.EqualError(t, err, "afalg hash whirlpool: Go fallback: no Go implementation of this algorithm")
	_, err = NewHash(Auto, "sha256\x00", nil)
	assert.EqualError(t, err, `afalg: algorithm name "sha256\x00" contains a NUL byte`)
}

// An algorithm the kernel lacks: Kernel reports it, Auto falls back to Go
// when Go has it and reports both causes when not.
func TestHashUnknownAlgorithm(t *testing.T) {
	_, err := NewHash(Kernel, "no-such-hash", nil)
	require.ErrorIs(t, err, ErrUnsupported)
	assert.Contains(t, err.Error(), "AF_ALG hash no-such-hash: ")
	_, err = NewHash(Auto, "no-such-hash", nil)
	require.ErrorIs(t, err, ErrUnsupported)
	assert.Contains(t, err.Error(), "afalg hash no-such-hash: Go fallback")
}

func BenchmarkHash(b *testing.B) {
	data := message(4096)
	for _, backend := range []Backend{Kernel, Go} {
		b.Run(backend.String(), func(b *testing.B) {
			if backend == Kernel {
				requireAFALG(b, "hash", "sha256")
			}
			h, err := NewHash(backend, "sha256", nil)
			require.NoError(b, err)
			defer h.Close()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := h.Sum(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
