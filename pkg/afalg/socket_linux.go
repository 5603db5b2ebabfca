package afalg

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"
)

// msgMore is the sendmsg flag that says more input of the same operation
// follows.
const msgMore = unix.MSG_MORE

// openAlg creates a transformation socket bound to the algorithm name of
// type typ.
func openAlg(typ, name string) (*algSocket, error) {
	if err := checkName(typ, name); err != nil {
		return nil, err
	}
	fd, err := unix.Socket(unix.AF_ALG, unix.SOCK_SEQPACKET|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, &Error{Type: typ, Name: name, Op: "socket", Err: err}
	}
	if err := unix.Bind(fd, &unix.SockaddrALG{Type: typ, Name: name}); err != nil {
		unix.Close(fd)
		return nil, &Error{Type: typ, Name: name, Op: "bind", Err: err}
	}
	return &algSocket{fd: fd, typ: typ, name: name}, nil
}

// setKey sets the key. An empty key is passed as a zero-length option, which
// HMAC accepts.
func (s *algSocket) setKey(key []byte) error {
	var p unsafe.Pointer
	if len(key) > 0 {
		p = unsafe.Pointer(&key[0])
	}
	// A raw call rather than unix.SetsockoptString: that would copy the key
	// into an immutable string.
	_, _, errno := unix.Syscall6(unix.SYS_SETSOCKOPT, uintptr(s.fd), unix.SOL_ALG, unix.ALG_SET_KEY,
		uintptr(p), uintptr(len(key)), 0)
	if errno != 0 {
		return s.fail("setsockopt ALG_SET_KEY", errno)
	}
	return nil
}

// setAuthSize sets an AEAD's tag size. The kernel reads the size from the
// option length and wants no value at all.
func (s *algSocket) setAuthSize(n int) error {
	_, _, errno := unix.Syscall6(unix.SYS_SETSOCKOPT, uintptr(s.fd), unix.SOL_ALG, unix.ALG_SET_AEAD_AUTHSIZE,
		0, uintptr(n), 0)
	if errno != 0 {
		return s.fail("setsockopt ALG_SET_AEAD_AUTHSIZE", errno)
	}
	return nil
}

// accept returns a new operation socket. unix.Accept cannot be used: it
// asks for the peer address, which operation sockets lack, and the kernel
// reports that as ECONNABORTED.
func (s *algSocket) accept() (*opSocket, error) {
	for {
		fd, _, errno := unix.Syscall6(unix.SYS_ACCEPT4, uintptr(s.fd), 0, 0, unix.SOCK_CLOEXEC, 0, 0)
		if errno == unix.EINTR {
			continue
		}
		if errno != 0 {
			return nil, s.fail("accept", errno)
		}
		return &opSocket{fd: int(fd), alg: s}, nil
	}
}

// readv is one readv(2) into the non-empty buffers of bufs. The kernel's
// EBADMSG, a failed AEAD tag check, becomes ErrAuth.
func (o *opSocket) readv(bufs [][]byte) (int, error) {
	var nonEmpty [][]byte
	for _, b := range bufs {
		if len(b) > 0 {
			nonEmpty = append(nonEmpty, b)
		}
	}
	for {
		n, err := unix.Readv(o.fd, nonEmpty)
		switch err {
		case nil:
			return n, nil
		case unix.EINTR:
			continue
		case unix.EBADMSG:
			return 0, ErrAuth
		case unix.ENOMEM:
			// The output's scatter lists are charged to the socket's
			// option memory, a small budget for a large message.
			return 0, o.alg.fail("read", fmt.Errorf("%w: the message does not fit the socket's buffers (net.core.optmem_max)", err))
		}
		return 0, o.alg.fail("read", err)
	}
}
