package afalg

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stdCBC encrypts with crypto/cipher directly, padding by hand.
func stdCBC(key, iv, plaintext []byte) []byte {
	block, err := aes.NewCipher(key)
	if err != nil {
		panic(err)
	}
	n := 16 - len(plaintext)%16
	in := append(append([]byte{}, plaintext...), make([]byte, n)...)
	for i := len(plaintext); i < len(in); i++ {
		in[i] = byte(n)
	}
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(in, in)
	return in
}

func TestCBCMatchesStdlib(t *testing.T) {
	backends(t, "skcipher", "cbc(aes)", func(t *testing.T, b Backend) {
		for _, keyLen := range []int{16, 24, 32} {
			key := message(keyLen + 7)[7:]
			iv := message(16 + 3)[3:]
			c, err := NewCBC(b, key)
			require.NoError(t, err)
			for _, n := range sizes {
				pt := message(n)
				want := stdCBC(key, iv, pt)
				ct, err := c.Encrypt(iv, pt)
				require.NoError(t, err, "AES-%d, %d bytes", keyLen*8, n)
				require.Equal(t, want, ct, "AES-%d, %d bytes", keyLen*8, n)
				back, err := c.Decrypt(iv, ct)
				require.NoError(t, err, "AES-%d, %d bytes", keyLen*8, n)
				require.Equal(t, pt, back, "AES-%d, %d bytes", keyLen*8, n)
			}
			require.NoError(t, c.Close())
		}
	})
}

// A vector computed independently with
//
//	printf 'Demo AF_ALG' | openssl enc -aes-256-cbc -K 000102...1f -iv 101112...1f | xxd -p
const openSSLCBC = "cd29c34020e53bbf95a8cad50ed77043"

func TestCBCOpenSSLVector(t *testing.T) {
	key, _ := hex.DecodeString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
	iv, _ := hex.DecodeString("101112131415161718191a1b1c1d1e1f")
	backends(t, "skcipher", "cbc(aes)", func(t *testing.T, b Backend) {
		c, err := NewCBC(b, key)
		require.NoError(t, err)
		defer c.Close()
		ct, err := c.Encrypt(iv, []byte("Demo AF_ALG"))
		require.NoError(t, err)
		assert.Equal(t, openSSLCBC, hex.EncodeToString(ct))
	})
}

func TestCBCBadInput(t *testing.T) {
	_, err := NewCBC(Auto, make([]byte, 15))
	assert.EqualError(t, err, "afalg: AES key is 15 bytes long, want 16, 24 or 32")
	backends(t, "skcipher", "cbc(aes)", func(t *testing.T, b Backend) {
		c, err := NewCBC(b, make([]byte, 16))
		require.NoError(t, err)
		iv := make([]byte, 16)

		_, err = c.Encrypt(iv[:12], []byte("x"))
		assert.EqualError(t, err, "afalg: cbc(aes) iv is 12 bytes long, want 16")
		_, err = c.Decrypt(iv, make([]byte, 17))
		assert.EqualError(t, err, "afalg: cbc(aes) ciphertext is 17 bytes long, want a non-zero multiple of 16")
		_, err = c.Decrypt(iv, nil)
		assert.Error(t, err)

		ct, err := c.Encrypt(iv, []byte("Demo AF_ALG"))
		require.NoError(t, err)
		// Flipping the last byte of the IV-side block changes the last
		// plaintext byte, the padding length: 5 becomes 4 or worse.
		bad := append([]byte{}, iv...)
		bad[15] ^= 0x01
		_, err = c.Decrypt(bad, ct)
		assert.ErrorIs(t, err, ErrPadding)
		require.NoError(t, c.Close())
		if b == Kernel {
			_, err = c.Encrypt(iv, nil)
			assert.EqualError(t, err, "afalg: cbc(aes): use after Close")
		}
	})
}
