package afalg

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/hex"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stdGCM seals with crypto/cipher directly.
func stdGCM(key []byte, tagSize int, nonce, plaintext, aad []byte) []byte {
	block, err := aes.NewCipher(key)
	if err != nil {
		panic(err)
	}
	g, err := cipher.NewGCMWithTagSize(block, tagSize)
	if err != nil {
		panic(err)
	}
	return g.Seal(nil, nonce, plaintext, aad)
}

func TestGCMMatchesStdlib(t *testing.T) {
	backends(t, "aead", "gcm(aes)", func(t *testing.T, b Backend) {
		nonce := message(NonceSize + 5)[5:]
		for _, keyLen := range []int{16, 24, 32} {
			key := message(keyLen + 9)[9:]
			g, err := NewGCM(b, key, 16)
			require.NoError(t, err)
			for _, aadLen := range []int{0, 13, 16, 4096} {
				aad := message(aadLen + 1)[1:]
				for _, n := range sizes {
					pt := message(n)
					what := []any{"AES-%d, %d bytes of AAD, %d of plaintext", keyLen * 8, aadLen, n}
					want := stdGCM(key, 16, nonce, pt, aad)
					ct, err := g.Seal(nonce, pt, aad)
					require.NoError(t, err, what...)
					require.Equal(t, want, ct, what...)
					back, err := g.Open(nonce, ct, aad)
					require.NoError(t, err, what...)
					require.Equal(t, pt, back, what...)
				}
			}
			require.NoError(t, g.Close())
		}
	})
}

func TestGCMTagSizes(t *testing.T) {
	backends(t, "aead", "gcm(aes)", func(t *testing.T, b Backend) {
		key, nonce := message(16), message(12)
		for tag := MinTagSize; tag <= MaxTagSize; tag++ {
			g, err := NewGCM(b, key, tag)
			require.NoError(t, err)
			assert.Equal(t, tag, g.TagSize())
			for _, n := range []int{0, 1, 16, 4097} {
				pt, aad := message(n), []byte("header")
				ct, err := g.Seal(nonce, pt, aad)
				require.NoError(t, err)
				require.Equal(t, stdGCM(key, tag, nonce, pt, aad), ct, "tag %d, %d bytes", tag, n)
				back, err := g.Open(nonce, ct, aad)
				require.NoError(t, err)
				require.Equal(t, pt, back)
			}
			require.NoError(t, g.Close())
		}
	})
}

// Values computed independently with Python's cryptography package:
// AESGCM(key).encrypt(nonce, b"Hello AES-GCM", aad).
func TestGCMPythonVector(t *testing.T) {
	key, _ := hex.DecodeString("000102030405060708090a0b0c0d0e0f")
	nonce, _ := hex.DecodeString("101112131415161718191a1b")
	aad, _ := hex.DecodeString("202122232425262728292a2b2c2d2e2f")
	backends(t, "aead", "gcm(aes)", func(t *testing.T, b Backend) {
		g := newGCM(t, b, key, 16)
		ct, err := g.Seal(nonce, []byte("Hello AES-GCM"), aad)
		require.NoError(t, err)
		assert.Equal(t, "8c4b6fc3606ff7aa44f01ab68a"+"a5549374f7e5dc81fff09009f1afc907", hex.EncodeToString(ct))
	})
}

// Any change to the ciphertext, the tag or the AAD is ErrAuth, including
// for an empty message with no AAD, where the kernel returns no data and
// checks the tag only if the read asks for some.
func TestGCMAuthFailure(t *testing.T) {
	backends(t, "aead", "gcm(aes)", func(t *testing.T, b Backend) {
		key, nonce := message(16), message(12)
		g := newGCM(t, b, key, 16)
		for _, c := range []struct{ pt, aad []byte }{
			{[]byte("Hello AES-GCM"), []byte("aad")},
			{[]byte("Hello AES-GCM"), nil},
			{nil, []byte("aad")},
			{nil, nil},
			{message(65537), message(16)},
		} {
			ct, err := g.Seal(nonce, c.pt, c.aad)
			require.NoError(t, err)
			for i := range ct {
				if i > 3 && i < len(ct)-20 {
					continue // a few positions in each part are enough
				}
				bad := bytes.Clone(ct)
				bad[i] ^= 0x80
				_, err := g.Open(nonce, bad, c.aad)
				require.ErrorIs(t, err, ErrAuth, "byte %d of %d flipped", i, len(ct))
			}
			if len(c.aad) > 0 {
				badAAD := bytes.Clone(c.aad)
				badAAD[0] ^= 1
				_, err = g.Open(nonce, ct, badAAD)
				require.ErrorIs(t, err, ErrAuth, "AAD changed")
			}
			_, err = g.Open(message(13)[1:], ct, c.aad)
			require.ErrorIs(t, err, ErrAuth, "other nonce")
			// The operation socket is fresh for each call, so a failure
			// leaves nothing behind for the next one.
			back, err := g.Open(nonce, ct, c.aad)
			require.NoError(t, err)
			require.Equal(t, len(c.pt), len(back))
		}
	})
}

func TestGCMBadInput(t *testing.T) {
	_, err := NewGCM(Auto, make([]byte, 20), 16)
	assert.EqualError(t, err, "afalg: AES key is 20 bytes long, want 16, 24 or 32")
	for _, tag := range []int{0, 4, 8, 11, 17} {
		_, err := NewGCM(Auto, make([]byte, 16), tag)
		assert.ErrorContains(t, err, "afalg: gcm(aes) tag size")
	}
	backends(t, "aead", "gcm(aes)", func(t *testing.T, b Backend) {
		g, err := NewGCM(b, make([]byte, 16), 16)
		require.NoError(t, err)
		_, err = g.Seal(make([]byte, 16), []byte("x"), nil)
		assert.EqualError(t, err, "afalg: gcm(aes) nonce is 16 bytes long, want 12")
		_, err = g.Open(make([]byte, 12), make([]byte, 15), nil)
		assert.EqualError(t, err, "afalg: gcm(aes) ciphertext is 15 bytes long, shorter than the 16-byte tag")
		require.NoError(t, g.Close())
		require.NoError(t, g.Close(), "Close twice")
		if b == Kernel {
			_, err = g.Seal(make([]byte, 12), nil, nil)
			assert.EqualError(t, err, "afalg: gcm(aes): use after Close")
		}
	})
}

// A message larger than the socket buffers either works, once they have
// grown, or is refused with an error that says why; it never hangs.
func TestGCMLargeMessages(t *testing.T) {
	backends(t, "aead", "gcm(aes)", func(t *testing.T, b Backend) {
		key, nonce := message(32), message(12)
		g := newGCM(t, b, key, 16)
		for _, n := range []int{300000, 1<<20 + 1, 4<<20 + 1} {
			pt := message(n)
			ct, err := g.Seal(nonce, pt, nil)
			if err != nil {
				require.Equal(t, Kernel, b)
				assert.Contains(t, err.Error(), "does not fit the socket's", "%d bytes", n)
				continue
			}
			require.Equal(t, stdGCM(key, 16, nonce, pt, nil), ct, "%d bytes", n)
			back, err := g.Open(nonce, ct, nil)
			require.NoError(t, err, "%d bytes", n)
			require.Equal(t, pt, back, "%d bytes", n)
		}
	})
}

// Goroutines share one GCM; each operation has its own socket.
func TestGCMConcurrent(t *testing.T) {
	backends(t, "aead", "gcm(aes)", func(t *testing.T, b Backend) {
		key := message(16)
		g := newGCM(t, b, key, 16)
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for w := range 8 {
			wg.Go(func() {
				nonce := append(make([]byte, 11), byte(w))
				for i := range 50 {
					pt := []byte(strings.Repeat("x", w*100+i))
					ct, err := g.Seal(nonce, pt, nil)
					if err == nil && !bytes.Equal(ct, stdGCM(key, 16, nonce, pt, nil)) {
						err = assert.AnError
					}
					if err != nil {
						errs <- err
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	})
}

// BenchmarkGCM is the cheat sheet's comparison as a benchmark: seal and
// open a 4 KiB message, on the kernel and with crypto/cipher side by side.
func BenchmarkGCM(b *testing.B) {
	key, nonce, aad, pt := message(16), message(12), message(16), message(4096)
	for _, backend := range []Backend{Kernel, Go} {
		b.Run(backend.String(), func(b *testing.B) {
			if backend == Kernel {
				requireAFALG(b, "aead", "gcm(aes)")
			}
			g := newGCM(b, backend, key, 16)
			b.SetBytes(int64(len(pt)))
			for b.Loop() {
				ct, err := g.Seal(nonce, pt, aad)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := g.Open(nonce, ct, aad); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
