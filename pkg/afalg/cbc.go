package afalg

import (
	"crypto/aes"
	"crypto/cipher"
	"fmt"
)

// A CBC encrypts and decrypts with AES in CBC mode and PKCS#7 padding,
// through the kernel's skcipher "cbc(aes)" or crypto/cipher. It is safe for
// concurrent use.
//
// CBC gives confidentiality only: without a MAC over the ciphertext an
// attacker can alter messages, and a receiver that reveals padding errors
// is a padding oracle. Prefer GCM; CBC is here because the cheat sheet has
// it and much existing data uses it.
type CBC struct {
	alg    *algSocket   // nil on the Go backend
	block  cipher.Block // nil on the kernel backend
	choice chooser
}

// NewCBC returns a CBC for key, which must be 16, 24 or 32 bytes long
// (AES-128, AES-192, AES-256). Close releases the kernel socket.
func NewCBC(b Backend, key []byte) (*CBC, error) {
	if err := checkAESKey(key); err != nil {
		return nil, err
	}
	alg, choice, err := choose(b, func() (*algSocket, error) {
		return openKeyed("skcipher", "cbc(aes)", key, 0)
	})
	if err != nil {
		return nil, err
	}
	c := &CBC{alg: alg, choice: choice}
	if choice.backend == Go {
		if c.block, err = aes.NewCipher(key); err != nil {
			return nil, fmt.Errorf("afalg: cbc(aes): %w", err)
		}
	}
	return c, nil
}

// checkAESKey validates an AES key's length.
func checkAESKey(key []byte) error {
	switch len(key) {
	case 16, 24, 32:
		return nil
	}
	return fmt.Errorf("afalg: AES key is %d bytes long, want 16, 24 or 32", len(key))
}

// openKeyed opens a transformation socket and sets its key and, when
// tagSize is not 0, its AEAD tag size: everything that must happen before
// the first accept.
func openKeyed(typ, name string, key []byte, tagSize int) (*algSocket, error) {
	s, err := openAlg(typ, name)
	if err != nil {
		return nil, err
	}
	err = s.setKey(key)
	if err == nil && tagSize != 0 {
		err = s.setAuthSize(tagSize)
	}
	if err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

// Backend reports the backend that runs the cipher: Kernel or Go.
func (c *CBC) Backend() Backend { return c.choice.backend }

// Fallback returns why the kernel is not used when Auto chose Go, and nil
// otherwise. The error matches ErrUnsupported.
func (c *CBC) Fallback() error { return c.choice.fallback }

// Encrypt pads plaintext with PKCS#7 and encrypts it with the 16-byte iv.
// The result is 1 to 16 bytes longer than plaintext. An iv must never be
// used twice with one key, and must be unpredictable: take it from
// crypto/rand.
func (c *CBC) Encrypt(iv, plaintext []byte) ([]byte, error) {
	if err := checkIV(iv); err != nil {
		return nil, err
	}
	in := pad(plaintext, aes.BlockSize)
	if c.alg == nil {
		out := make([]byte, len(in))
		cipher.NewCBCEncrypter(c.block, iv).CryptBlocks(out, in)
		return out, nil
	}
	return c.crypt(true, iv, in)
}

// Decrypt decrypts ciphertext with iv and removes the PKCS#7 padding. Its
// length must be a non-zero multiple of 16. Invalid padding, which a wrong
// key almost always produces, is ErrPadding. A wrong iv changes only the
// first 16 bytes of the plaintext (CBC uses the iv for the first block
// alone): a one-block message then fails the padding check, but a longer
// one decrypts without error, its first block wrong.
func (c *CBC) Decrypt(iv, ciphertext []byte) ([]byte, error) {
	if err := checkIV(iv); err != nil {
		return nil, err
	}
	if len(ciphertext) == 0 || len(ciphertext)%aes.BlockSize != 0 {
		return nil, fmt.Errorf("afalg: cbc(aes) ciphertext is %d bytes long, want a non-zero multiple of %d", len(ciphertext), aes.BlockSize)
	}
	var out []byte
	if c.alg == nil {
		out = make([]byte, len(ciphertext))
		cipher.NewCBCDecrypter(c.block, iv).CryptBlocks(out, ciphertext)
	} else {
		var err error
		if out, err = c.crypt(false, iv, ciphertext); err != nil {
			return nil, err
		}
	}
	return unpad(out, aes.BlockSize)
}

// checkIV validates a CBC iv's length.
func checkIV(iv []byte) error {
	if len(iv) != aes.BlockSize {
		return fmt.Errorf("afalg: cbc(aes) iv is %d bytes long, want %d", len(iv), aes.BlockSize)
	}
	return nil
}

// crypt runs in, a multiple of the block size, through the kernel. Input
// larger than the socket buffer goes in chunks: each chunk but the last is
// sent with MSG_MORE and read back before the next, and the kernel carries
// the CBC chaining value from one chunk to the next.
func (c *CBC) crypt(encrypt bool, iv, in []byte) ([]byte, error) {
	if c.alg.fd < 0 {
		return nil, fmt.Errorf("afalg: cbc(aes): use after Close")
	}
	op, err := c.alg.accept()
	if err != nil {
		return nil, err
	}
	defer op.close()
	chunk, err := op.sendLimit(aes.BlockSize)
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(in))
	oob := control(encrypt, iv, false, 0)
	for off := 0; off < len(in); {
		end := min(off+chunk, len(in))
		flags := 0
		if end < len(in) {
			flags = msgMore
		}
		if err := op.send([][]byte{in[off:end]}, oob, flags); err != nil {
			return nil, err
		}
		oob = nil // the operation and IV are set once, by the first send
		if err := op.read(out[off:end]); err != nil {
			return nil, err
		}
		off = end
	}
	return out, nil
}

// Close releases the kernel socket. It must not be called while an
// operation is running.
func (c *CBC) Close() error { return c.alg.close() }
