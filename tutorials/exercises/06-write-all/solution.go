//go:build solution

// Package writeall writes a whole buffer to a non-blocking socket.
package writeall

import (
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// WriteAll writes all of p to the non-blocking descriptor fd, waiting with
// poll(2) whenever the socket's send buffer is full.
func WriteAll(fd int, p []byte, timeout time.Duration) (int, error) {
	n := 0
	for n < len(p) {
		m, err := unix.Write(fd, p[n:])
		if m > 0 {
			n += m
		}
		switch err {
		case nil:
			continue
		case unix.EINTR:
			continue
		case unix.EAGAIN:
			if err := waitWritable(fd, timeout); err != nil {
				return n, fmt.Errorf("writeall: fd %d after %d of %d bytes: %w", fd, n, len(p), err)
			}
		default:
			return n, fmt.Errorf("writeall: fd %d after %d of %d bytes: %w", fd, n, len(p), err)
		}
	}
	return n, nil
}

// waitWritable blocks until fd can take more data or timeout passes.
func waitWritable(fd int, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		left := time.Until(deadline)
		if left <= 0 {
			return os.ErrDeadlineExceeded
		}
		// Round up, so a sub-millisecond remainder still waits.
		ms := int((left + time.Millisecond - 1) / time.Millisecond)
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLOUT}}
		n, err := unix.Poll(fds, ms)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return fmt.Errorf("poll: %w", err)
		}
		if n > 0 {
			// Writable, or in error: either way the next write says which.
			return nil
		}
	}
}
