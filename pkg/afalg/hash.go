package afalg

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha3"
	"crypto/sha512"
	"errors"
	"fmt"
	"hash"
	"io"
	"strings"

	"golang.org/x/sys/unix"
)

// goHashes returns the Go implementation of the hash the kernel calls name,
// or nil. Each of these may also be used as "hmac(name)".
func goHashes(name string) func() hash.Hash {
	switch name {
	case "md5":
		return md5.New
	case "sha1":
		return sha1.New
	case "sha224":
		return sha256.New224
	case "sha256":
		return sha256.New
	case "sha384":
		return sha512.New384
	case "sha512":
		return sha512.New
	case "sha3-224":
		return func() hash.Hash { return sha3.New224() }
	case "sha3-256":
		return func() hash.Hash { return sha3.New256() }
	case "sha3-384":
		return func() hash.Hash { return sha3.New384() }
	case "sha3-512":
		return func() hash.Hash { return sha3.New512() }
	}
	return nil
}

// A Hash computes digests, or HMACs, with one algorithm and key. It is safe
// for concurrent use: on the kernel backend each Sum accepts its own
// operation socket.
type Hash struct {
	name   string
	alg    *algSocket // nil on the Go backend
	newGo  func() hash.Hash
	choice chooser
}

// NewHash returns a Hash for the algorithm name as the kernel spells it
// ("sha256", "sha512", "hmac(sha256)", ...). Keyed algorithms take key; an
// unkeyed one must get a nil key. The Go backend knows md5, sha1, the SHA-2
// and SHA-3 families and HMAC over each of them; the kernel backend knows
// whatever the kernel offers. Close releases the kernel socket.
func NewHash(b Backend, name string, key []byte) (*Hash, error) {
	if err := checkName("hash", name); err != nil {
		return nil, err
	}
	if key != nil && goHashes(name) != nil {
		return nil, fmt.Errorf("afalg: hash %s takes no key, got %d bytes", name, len(key))
	}
	keyed := strings.HasPrefix(name, "hmac(") && strings.HasSuffix(name, ")")
	alg, choice, err := choose(b, func() (*algSocket, error) {
		s, err := openAlg("hash", name)
		if err != nil {
			return nil, err
		}
		// HMAC needs a key even when it is empty: without one, accept
		// fails with ENOKEY.
		if key != nil || keyed {
			if err := s.setKey(key); err != nil {
				s.close()
				return nil, err
			}
		}
		return s, nil
	})
	if err != nil {
		return nil, err
	}
	h := &Hash{name: name, alg: alg, choice: choice}
	if choice.backend == Go {
		h.newGo, err = goHash(name, key)
		if err != nil {
			if choice.fallback != nil {
				err = fmt.Errorf("%w; and %w", choice.fallback, err)
			}
			return nil, err
		}
	}
	return h, nil
}

// goHash returns the constructor of the Go implementation of name.
func goHash(name string, key []byte) (func() hash.Hash, error) {
	if inner, ok := strings.CutPrefix(name, "hmac("); ok && strings.HasSuffix(inner, ")") {
		if f := goHashes(strings.TrimSuffix(inner, ")")); f != nil {
			return func() hash.Hash { return hmac.New(f, key) }, nil
		}
	} else if f := goHashes(name); f != nil {
		return f, nil
	}
	return nil, &Error{Type: "hash", Name: name, Op: "Go fallback", Err: errNoGo}
}

// Backend reports the backend that computes the digests: Kernel or Go.
func (h *Hash) Backend() Backend { return h.choice.backend }

// Fallback returns why the kernel is not used when Auto chose Go, and nil
// otherwise. The error matches ErrUnsupported.
func (h *Hash) Fallback() error { return h.choice.fallback }

// Sum returns the digest of data.
func (h *Hash) Sum(data []byte) ([]byte, error) {
	if h.alg == nil {
		g := h.newGo()
		g.Write(data)
		return g.Sum(nil), nil
	}
	op, err := h.op()
	if err != nil {
		return nil, err
	}
	defer op.close()
	// The kernel hashes a send as it arrives and queues nothing, so even a
	// large buffer goes in one sendmsg; no MSG_MORE means this is all.
	if err := op.send([][]byte{data}, nil, 0); err != nil {
		return nil, err
	}
	return op.digest()
}

// SumReader returns the digest of everything read from r until io.EOF.
func (h *Hash) SumReader(r io.Reader) ([]byte, error) {
	if h.alg == nil {
		g := h.newGo()
		if _, err := io.Copy(g, r); err != nil {
			return nil, fmt.Errorf("afalg: hash %s: reading input: %w", h.name, err)
		}
		return g.Sum(nil), nil
	}
	op, err := h.op()
	if err != nil {
		return nil, err
	}
	defer op.close()
	buf := make([]byte, chunkSize)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			// MSG_MORE keeps the hash open for the next chunk.
			if err := op.send([][]byte{buf[:n]}, nil, msgMore); err != nil {
				return nil, err
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("afalg: hash %s: reading input: %w", h.name, err)
		}
	}
	// An empty send without MSG_MORE finishes the hash. Reading alone would
	// also finish it, but finishing here makes an empty input work the same
	// on old and new kernels.
	if err := op.send(nil, nil, 0); err != nil {
		return nil, err
	}
	return op.digest()
}

// op accepts an operation socket, or reports use after Close.
func (h *Hash) op() (*opSocket, error) {
	if h.alg.fd < 0 {
		return nil, fmt.Errorf("afalg: hash %s: use after Close", h.name)
	}
	return h.alg.accept()
}

// digest reads the finished digest. The kernel returns at most the digest
// size however much is asked for, so a buffer of the largest digest size
// (HASH_MAX_DIGESTSIZE, 64) fits any.
func (o *opSocket) digest() ([]byte, error) {
	buf := make([]byte, 64)
	for {
		n, err := unix.Read(o.fd, buf)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, o.alg.fail("read", err)
		}
		return buf[:n:n], nil
	}
}

// Close releases the kernel socket. It must not be called while a Sum is
// running.
func (h *Hash) Close() error { return h.alg.close() }
