package afalg

import (
	"fmt"
	"os"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Limits of struct sockaddr_alg: salg_type[14] and salg_name[64], each
// holding a NUL-terminated string.
const (
	maxTypeLen = 13
	maxNameLen = 63
)

// chunkSize is how much input a streaming operation sends per sendmsg. It
// is 16 pages of 4 KiB, the ALG_MAX_PAGES that older kernels map at once,
// and below the default socket buffer of about 208 KiB.
const chunkSize = 64 << 10

// checkName validates an algorithm's type and name before any system call,
// so bad input gets the same error with and without AF_ALG.
func checkName(typ, name string) error {
	bad := func(what, s string, limit int) error {
		switch {
		case strings.IndexByte(s, 0) >= 0:
			return fmt.Errorf("afalg: algorithm %s %q contains a NUL byte", what, s)
		case s == "":
			return fmt.Errorf("afalg: algorithm %s is empty", what)
		case len(s) > limit:
			return fmt.Errorf("afalg: algorithm %s %q is %d bytes long, sockaddr_alg holds at most %d", what, s, len(s), limit)
		}
		return nil
	}
	if err := bad("type", typ, maxTypeLen); err != nil {
		return err
	}
	return bad("name", name, maxNameLen)
}

// algSocket is a transformation socket: bound to one algorithm and, once
// keyed, the parent that operation sockets are accepted from.
type algSocket struct {
	fd        int
	typ, name string
}

// fail wraps err as an Error of this socket's algorithm at step op.
func (s *algSocket) fail(op string, err error) error {
	return &Error{Type: s.typ, Name: s.name, Op: op, Err: err}
}

// close closes the transformation socket. Operation sockets already
// accepted keep working until they are closed.
func (s *algSocket) close() error {
	if s == nil || s.fd < 0 {
		return nil
	}
	err := unix.Close(s.fd)
	s.fd = -1
	if err != nil {
		return s.fail("close", err)
	}
	return nil
}

// opSocket is an operation socket accepted from an algSocket.
type opSocket struct {
	fd  int
	alg *algSocket
}

// close closes the operation socket.
func (o *opSocket) close() {
	// The socket only ever held our own input; a close error loses nothing.
	_ = unix.Close(o.fd)
}

// send passes bufs as one message with control messages oob and flags. It
// is sendmsg(2) called directly, because unix.SendmsgN adds a data byte to a
// message that has control messages but no data, and AF_ALG would take that
// byte as input.
func (o *opSocket) send(bufs [][]byte, oob []byte, flags int) error {
	iov := make([]unix.Iovec, 0, len(bufs))
	want := 0
	for _, b := range bufs {
		if len(b) > 0 {
			v := unix.Iovec{Base: &b[0]}
			v.SetLen(len(b))
			iov = append(iov, v)
			want += len(b)
		}
	}
	var msg unix.Msghdr
	if len(iov) > 0 {
		msg.Iov = &iov[0]
		msg.SetIovlen(len(iov))
	}
	if len(oob) > 0 {
		msg.Control = &oob[0]
		msg.SetControllen(len(oob))
	}
	for {
		n, _, errno := unix.Syscall(unix.SYS_SENDMSG, uintptr(o.fd), uintptr(unsafe.Pointer(&msg)), uintptr(flags))
		if errno == unix.EINTR {
			continue
		}
		if errno != 0 {
			return o.alg.fail("sendmsg", errno)
		}
		if int(n) != want {
			// The sizes sent here never wait for buffer space, so a short
			// send means the kernel ran out of room for the message's
			// bookkeeping, which net.core.optmem_max bounds.
			return o.alg.fail("sendmsg", fmt.Errorf("the kernel took %d of %d bytes: the message does not fit the socket's buffers (net.core.wmem_max, rmem_max, optmem_max)", n, want))
		}
		return nil
	}
}

// read reads the operation's output into bufs with a single readv(2), which
// must fill them: reading again would wait for input that never comes.
func (o *opSocket) read(bufs ...[]byte) error {
	want := 0
	for _, b := range bufs {
		want += len(b)
	}
	n, err := o.readv(bufs)
	if err != nil {
		return err
	}
	if n != want {
		return o.alg.fail("read", fmt.Errorf("got %d of %d bytes", n, want))
	}
	return nil
}

// fit makes sure a message of in bytes, answered by out bytes, fits in the
// socket's buffers at once, growing them if needed. An AEAD operation is
// processed only when its whole input is queued, so a message that does not
// fit would block the sender forever.
func (o *opSocket) fit(in, out int) error {
	page := os.Getpagesize()
	// The kernel accepts another page of input only while a whole page of
	// buffer is free, hence the page kept in reserve.
	room := func(opt int) (int, error) {
		v, err := unix.GetsockoptInt(o.fd, unix.SOL_SOCKET, opt)
		if err != nil {
			return 0, o.alg.fail("getsockopt", err)
		}
		return v&^(page-1) - page, nil
	}
	for _, c := range []struct {
		opt          int
		name, sysctl string
		need         int
	}{{unix.SO_SNDBUF, "send", "wmem_max", in}, {unix.SO_RCVBUF, "receive", "rmem_max", out}} {
		have, err := room(c.opt)
		if err != nil {
			return err
		}
		if have >= c.need {
			continue
		}
		// The kernel doubles the value asked for and caps it at
		// net.core.wmem_max (rmem_max); an error here just leaves the
		// buffer as it was.
		_ = unix.SetsockoptInt(o.fd, unix.SOL_SOCKET, c.opt, c.need+2*page)
		if have, err = room(c.opt); err != nil {
			return err
		}
		if have < c.need {
			return o.alg.fail("sendmsg", fmt.Errorf("a message of %d bytes does not fit the socket's %s buffer (room for %d); raise net.core.%s",
				c.need, c.name, have, c.sysctl))
		}
	}
	return nil
}

// sendLimit returns how many bytes one sendmsg may carry on a fresh or
// drained socket without waiting for buffer space: at most chunkSize,
// rounded down to a multiple of align.
func (o *opSocket) sendLimit(align int) (int, error) {
	v, err := unix.GetsockoptInt(o.fd, unix.SOL_SOCKET, unix.SO_SNDBUF)
	if err != nil {
		return 0, o.alg.fail("getsockopt SO_SNDBUF", err)
	}
	page := os.Getpagesize()
	n := min(chunkSize, max(v&^(page-1), page))
	return n - n%align, nil
}
