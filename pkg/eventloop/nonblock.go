package eventloop

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// ReadSome reads once from the non-blocking descriptor fd into buf. A read
// that a signal interrupted is retried; nothing to read yet (EAGAIN) is
// n == 0 and no error, since readiness can be stale. eof reports that the
// peer closed its end. A failure is an *os.SyscallError.
func ReadSome(fd int, buf []byte) (n int, eof bool, err error) {
	return readSome(unix.Read, fd, buf)
}

// readSome is ReadSome making its calls with read, so that a Conn, whose
// descriptor this package opened non-blocking, can skip the scheduler's
// hand-off (rawRead).
func readSome(read func(int, []byte) (int, error), fd int, buf []byte) (n int, eof bool, err error) {
	if len(buf) == 0 {
		return 0, false, nil
	}
	for {
		n, err := read(fd, buf)
		switch {
		case err == nil:
			return n, n == 0, nil
		case errors.Is(err, unix.EINTR):
			continue
		case errors.Is(err, unix.EAGAIN):
			return 0, false, nil
		default:
			return 0, false, os.NewSyscallError("read", err)
		}
	}
}

// WriteSome writes as much of p as the non-blocking descriptor fd takes
// now and returns how much that was: a full socket buffer (EAGAIN) is not
// an error, the caller keeps the rest until fd is writable. A write that a
// signal interrupted is retried. A failure is an *os.SyscallError.
func WriteSome(fd int, p []byte) (int, error) {
	return writeSome(unix.Write, fd, p)
}

// writeSome is WriteSome making its calls with write (see readSome).
func writeSome(write func(int, []byte) (int, error), fd int, p []byte) (int, error) {
	sent := 0
	for sent < len(p) {
		n, err := write(fd, p[sent:])
		switch {
		case err == nil:
			sent += n
		case errors.Is(err, unix.EINTR):
		case errors.Is(err, unix.EAGAIN):
			return sent, nil
		default:
			return sent, os.NewSyscallError("write", err)
		}
	}
	return sent, nil
}
