package afalg

import (
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

// A Backend says who performs the cryptography.
type Backend int

const (
	// Auto uses the kernel when it offers the algorithm over AF_ALG and the
	// Go standard library otherwise.
	Auto Backend = iota
	// Kernel uses AF_ALG sockets and fails with ErrUnsupported where the
	// kernel lacks them or the algorithm.
	Kernel
	// Go uses the Go standard library.
	Go
)

// String returns "auto", "kernel" or "go".
func (b Backend) String() string {
	switch b {
	case Auto:
		return "auto"
	case Kernel:
		return "kernel"
	case Go:
		return "go"
	}
	return fmt.Sprintf("Backend(%d)", int(b))
}

// ParseBackend returns the Backend that String spells s.
func ParseBackend(s string) (Backend, error) {
	for _, b := range []Backend{Auto, Kernel, Go} {
		if s == b.String() {
			return b, nil
		}
	}
	return 0, fmt.Errorf("afalg: backend %q: want auto, kernel or go", s)
}

// MarshalText returns the Backend as String spells it, so that a Backend
// can be a command-line flag (flag.TextVar) or a field in a config file.
func (b Backend) MarshalText() ([]byte, error) { return []byte(b.String()), nil }

// UnmarshalText sets b to the Backend that text spells, as ParseBackend
// reads it.
func (b *Backend) UnmarshalText(text []byte) error {
	v, err := ParseBackend(string(text))
	if err != nil {
		return err
	}
	*b = v
	return nil
}

// ErrUnsupported is matched by errors reporting that the kernel (or the Go
// fallback) lacks AF_ALG, an algorithm type or an algorithm. Such errors also
// match errors.ErrUnsupported.
var ErrUnsupported = errors.New("afalg: unsupported")

// ErrAuth is returned when an AEAD decryption finds that the ciphertext, the
// associated data or the tag was altered (the kernel's EBADMSG).
var ErrAuth = errors.New("afalg: message authentication failed")

// ErrPadding is returned when AES-CBC decryption finds invalid PKCS#7
// padding. It deliberately says nothing about where the padding is wrong.
var ErrPadding = errors.New("afalg: invalid PKCS#7 padding")

// errNoGo is the cause of an Error for an algorithm the Go fallback lacks.
var errNoGo = errors.New("no Go implementation of this algorithm")

// errNoAFALG is the cause of an Error on a system without AF_ALG sockets,
// which only Linux has.
var errNoAFALG = fmt.Errorf("AF_ALG needs Linux: %w", errors.ErrUnsupported)

// An Error reports a failed step for one algorithm.
type Error struct {
	Type string // the algorithm type: "hash", "skcipher" or "aead"
	Name string // the algorithm, as the kernel names it: "sha256", "gcm(aes)"
	Op   string // the step that failed: "socket", "bind", "accept", "Go fallback", ...
	Err  error  // what went wrong, often a unix.Errno
}

// Error names the algorithm, the step and the cause, with a hint when the
// kernel lacks something.
func (e *Error) Error() string {
	prefix := "AF_ALG"
	if e.Err == errNoGo {
		prefix = "afalg"
	}
	s := fmt.Sprintf("%s %s %s: %s: %v", prefix, e.Type, e.Name, e.Op, e.Err)
	switch {
	case e.Op == "socket" && errors.Is(e.Err, unix.EAFNOSUPPORT):
		s += " (this kernel has no AF_ALG sockets)"
	case e.Op == "bind" && errors.Is(e.Err, unix.ENOENT):
		s += fmt.Sprintf(" (this kernel has no %s %q, or its algif_%s module is not loaded)", e.Type, e.Name, e.Type)
	}
	return s
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether e matches ErrUnsupported or errors.ErrUnsupported: the
// system is not Linux, the kernel has no AF_ALG (socket fails with
// EAFNOSUPPORT), no such algorithm type or algorithm (bind fails with
// ENOENT), or Go has no fallback for it.
func (e *Error) Is(target error) bool {
	if target != ErrUnsupported && target != errors.ErrUnsupported {
		return false
	}
	switch {
	case e.Err == errNoGo, e.Err == errNoAFALG:
		return true
	case e.Op == "socket":
		return errors.Is(e.Err, unix.EAFNOSUPPORT)
	case e.Op == "bind":
		return errors.Is(e.Err, unix.ENOENT)
	}
	return false
}

// chooser records which backend a constructor picked and why.
type chooser struct {
	backend  Backend
	fallback error
}

// choose opens the kernel side with open unless b is Go, falling back to Go
// when b is Auto and the kernel lacks what open needs.
func choose[T any](b Backend, open func() (T, error)) (k T, c chooser, err error) {
	switch b {
	case Go:
		return k, chooser{backend: Go}, nil
	case Kernel, Auto:
		k, err = open()
		if err == nil {
			return k, chooser{backend: Kernel}, nil
		}
		if b == Auto && errors.Is(err, ErrUnsupported) {
			return k, chooser{backend: Go, fallback: err}, nil
		}
		return k, chooser{}, err
	}
	return k, chooser{}, fmt.Errorf("afalg: backend %d: want Auto, Kernel or Go", int(b))
}

// isUnsupported reports whether err says the kernel lacks what was asked.
func isUnsupported(err error) bool { return errors.Is(err, ErrUnsupported) }
