package afalg

import (
	"bytes"
	"context"
	"fmt"
	"time"
)

// A Comparison holds how long each backend took to seal and open the same
// messages. A backend that was not measured has a zero duration.
type Comparison struct {
	Iterations int           // messages sealed and opened by each backend
	Size       int           // bytes of plaintext per message
	Go         time.Duration // crypto/cipher
	Kernel     time.Duration // AF_ALG
	// KernelErr says why Auto did not measure the kernel; it matches
	// ErrUnsupported.
	KernelErr error
}

// CompareGCM times AES-128-GCM with a 16-byte tag and 16 bytes of AAD on
// iterations messages of size bytes each, sealing then opening each
// message, as the cheat sheet's benchmark does (there 1,000,000 messages of
// 4 KiB). Backend Go measures crypto/cipher alone, Kernel AF_ALG alone
// (failing where it is missing) and Auto both, skipping the kernel with
// KernelErr set where it is missing. Each round trip is checked, so a wrong
// result is an error rather than a fast time. CompareGCM stops with ctx's
// error when ctx ends.
func CompareGCM(ctx context.Context, b Backend, iterations, size int) (Comparison, error) {
	c := Comparison{Iterations: iterations, Size: size}
	if iterations < 1 {
		return c, fmt.Errorf("afalg: compare: %d iterations, want at least 1", iterations)
	}
	if size < 0 {
		return c, fmt.Errorf("afalg: compare: message size %d is negative", size)
	}
	// A fixed key, nonce and message make the runs comparable; real code
	// must never reuse a nonce with a key.
	key := bytes.Repeat([]byte{0x42}, 16)
	nonce := make([]byte, NonceSize)
	aad := bytes.Repeat([]byte{0xaa}, 16)
	msg := make([]byte, size)
	for i := range msg {
		msg[i] = byte(i)
	}

	var plan []Backend
	switch b {
	case Go:
		plan = []Backend{Go}
	case Kernel:
		plan = []Backend{Kernel}
	case Auto:
		plan = []Backend{Kernel, Go}
	default:
		return c, fmt.Errorf("afalg: backend %d: want Auto, Kernel or Go", int(b))
	}
	for _, backend := range plan {
		g, err := NewGCM(backend, key, 16)
		if b == Auto && backend == Kernel && err != nil && isUnsupported(err) {
			c.KernelErr = err
			continue
		}
		if err != nil {
			return c, err
		}
		d, err := timeGCM(ctx, g, iterations, nonce, msg, aad)
		g.Close()
		if err != nil {
			return c, err
		}
		if backend == Go {
			c.Go = d
		} else {
			c.Kernel = d
		}
	}
	return c, nil
}

// timeGCM seals and opens msg iterations times with g.
func timeGCM(ctx context.Context, g *GCM, iterations int, nonce, msg, aad []byte) (time.Duration, error) {
	start := time.Now()
	for range iterations {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		sealed, err := g.Seal(nonce, msg, aad)
		if err != nil {
			return 0, err
		}
		opened, err := g.Open(nonce, sealed, aad)
		if err != nil {
			return 0, err
		}
		if !bytes.Equal(opened, msg) {
			return 0, fmt.Errorf("afalg: compare: %s backend returned a different plaintext", g.Backend())
		}
	}
	return time.Since(start), nil
}
