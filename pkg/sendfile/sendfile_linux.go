package sendfile

import "golang.org/x/sys/unix"

// sendfile is sendfile(2): it moves up to count bytes of infd from *off to
// outfd and advances *off by what it moved.
func sendfile(outfd, infd int, off *int64, count int) (int, error) {
	return unix.Sendfile(outfd, infd, off, count)
}
