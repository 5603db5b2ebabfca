package afalg

import (
	"crypto/aes"
	"crypto/cipher"
	"fmt"
)

// NonceSize is the length of a GCM nonce: the 96 bits that the kernel's
// gcm(aes) requires and GCM is designed for.
const NonceSize = 12

// Tag sizes GCM accepts here: those both the kernel and crypto/cipher allow.
const (
	MinTagSize = 12
	MaxTagSize = 16
)

// A GCM seals and opens messages with AES-GCM, through the kernel's aead
// "gcm(aes)" or crypto/cipher. It is safe for concurrent use: on the kernel
// backend each operation accepts its own operation socket.
type GCM struct {
	alg     *algSocket  // nil on the Go backend
	aead    cipher.AEAD // nil on the kernel backend
	tagSize int
	choice  chooser
}

// NewGCM returns a GCM for key, which must be 16, 24 or 32 bytes long, that
// makes and checks tags of tagSize bytes (MinTagSize to MaxTagSize; use
// 16 unless a protocol says otherwise). Close releases the kernel socket.
func NewGCM(b Backend, key []byte, tagSize int) (*GCM, error) {
	if err := checkAESKey(key); err != nil {
		return nil, err
	}
	if tagSize < MinTagSize || tagSize > MaxTagSize {
		return nil, fmt.Errorf("afalg: gcm(aes) tag size %d: want %d to %d", tagSize, MinTagSize, MaxTagSize)
	}
	alg, choice, err := choose(b, func() (*algSocket, error) {
		return openKeyed("aead", "gcm(aes)", key, tagSize)
	})
	if err != nil {
		return nil, err
	}
	g := &GCM{alg: alg, tagSize: tagSize, choice: choice}
	if choice.backend == Go {
		block, err := aes.NewCipher(key)
		if err == nil {
			g.aead, err = cipher.NewGCMWithTagSize(block, tagSize)
		}
		if err != nil {
			return nil, fmt.Errorf("afalg: gcm(aes): %w", err)
		}
	}
	return g, nil
}

// Backend reports the backend that runs the cipher: Kernel or Go.
func (g *GCM) Backend() Backend { return g.choice.backend }

// Fallback returns why the kernel is not used when Auto chose Go, and nil
// otherwise. The error matches ErrUnsupported.
func (g *GCM) Fallback() error { return g.choice.fallback }

// TagSize returns the length of the tags g makes and checks.
func (g *GCM) TagSize() int { return g.tagSize }

// Seal encrypts plaintext and authenticates it together with the
// associated data aad, which is not encrypted. It returns the ciphertext
// followed by the tag, as crypto/cipher's AEAD.Seal does. A nonce must never
// be used twice with one key: doing so reveals the authentication key.
func (g *GCM) Seal(nonce, plaintext, aad []byte) ([]byte, error) {
	if err := checkNonce(nonce); err != nil {
		return nil, err
	}
	if g.aead != nil {
		return g.aead.Seal(nil, nonce, plaintext, aad), nil
	}
	op, err := g.op()
	if err != nil {
		return nil, err
	}
	defer op.close()
	// The kernel takes AAD || plaintext and returns AAD || ciphertext || tag.
	if err := op.fit(len(aad)+len(plaintext), len(aad)+len(plaintext)+g.tagSize); err != nil {
		return nil, err
	}
	if err := op.send([][]byte{aad, plaintext}, control(true, nonce, true, len(aad)), 0); err != nil {
		return nil, err
	}
	out := make([]byte, len(plaintext)+g.tagSize)
	if err := op.read(make([]byte, len(aad)), out); err != nil {
		return nil, err
	}
	return out, nil
}

// Open checks the tag at the end of ciphertext against the ciphertext and
// aad and, if they are authentic, returns the decrypted plaintext. If not,
// it returns ErrAuth and no plaintext.
func (g *GCM) Open(nonce, ciphertext, aad []byte) ([]byte, error) {
	if err := checkNonce(nonce); err != nil {
		return nil, err
	}
	if len(ciphertext) < g.tagSize {
		return nil, fmt.Errorf("afalg: gcm(aes) ciphertext is %d bytes long, shorter than the %d-byte tag", len(ciphertext), g.tagSize)
	}
	if g.aead != nil {
		// A non-nil destination makes an empty plaintext non-nil, as the
		// kernel path returns it.
		pt, err := g.aead.Open(make([]byte, 0, len(ciphertext)-g.tagSize), nonce, ciphertext, aad)
		if err != nil {
			return nil, ErrAuth
		}
		return pt, nil
	}
	op, err := g.op()
	if err != nil {
		return nil, err
	}
	defer op.close()
	// The kernel takes AAD || ciphertext || tag and returns AAD || plaintext.
	if err := op.fit(len(aad)+len(ciphertext), len(aad)+len(ciphertext)); err != nil {
		return nil, err
	}
	if err := op.send([][]byte{aad, ciphertext}, control(false, nonce, true, len(aad)), 0); err != nil {
		return nil, err
	}
	return op.readOpened(len(aad), len(ciphertext)-g.tagSize)
}

// readOpened reads the result of a decryption: aadLen bytes of AAD, then
// the plaintext of ptLen bytes. With neither, the read still needs a buffer:
// the kernel runs the operation, and checks the tag, only for a read that
// asks for something.
func (o *opSocket) readOpened(aadLen, ptLen int) ([]byte, error) {
	pt := make([]byte, ptLen)
	if aadLen == 0 && ptLen == 0 {
		// The kernel computes an output length of 0 and fills nothing.
		var one [1]byte
		n, err := o.readv([][]byte{one[:]})
		if err != nil {
			return nil, err
		}
		if n != 0 {
			return nil, o.alg.fail("read", fmt.Errorf("got %d bytes, want none", n))
		}
		return pt, nil
	}
	if err := o.read(make([]byte, aadLen), pt); err != nil {
		return nil, err
	}
	return pt, nil
}

// checkNonce validates a GCM nonce's length.
func checkNonce(nonce []byte) error {
	if len(nonce) != NonceSize {
		return fmt.Errorf("afalg: gcm(aes) nonce is %d bytes long, want %d", len(nonce), NonceSize)
	}
	return nil
}

// op accepts an operation socket, or reports use after Close.
func (g *GCM) op() (*opSocket, error) {
	if g.alg.fd < 0 {
		return nil, fmt.Errorf("afalg: gcm(aes): use after Close")
	}
	return g.alg.accept()
}

// Close releases the kernel socket. It must not be called while an
// operation is running.
func (g *GCM) Close() error { return g.alg.close() }
