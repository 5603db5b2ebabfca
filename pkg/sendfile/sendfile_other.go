//go:build !linux

package sendfile

import "golang.org/x/sys/unix"

// sendfile calls the BSD sendfile(2), which writes only to a socket, and
// gives it the Linux contract the copy loop relies on. The BSD call takes
// the offset by value and may report bytes sent together with EAGAIN or
// EINTR, so *off is advanced here and a partial send is a short count, not
// an error; the next call reports the EAGAIN again if it still holds.
func sendfile(outfd, infd int, off *int64, count int) (int, error) {
	n, err := unix.Sendfile(outfd, infd, off, count)
	if n > 0 {
		*off += int64(n)
		if err == unix.EAGAIN || err == unix.EINTR {
			err = nil
		}
	}
	return n, err
}
