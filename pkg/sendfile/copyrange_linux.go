package sendfile

import (
	"errors"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// copyFileRange moves src's bytes from *off up to size with
// copy_file_range(2), which writes at the destination's file offset. Where
// the kernel cannot do it for this pair of files it carries on with
// sendfile from where it stopped.
func copyFileRange(out syscall.RawConn, src *os.File, off *int64, size int64, chunk int, st *Stats) error {
	err := moveRange(out, src, off, size, chunk, st, "copy_file_range", func(outfd, infd int, off *int64, n int) (int, error) {
		return unix.CopyFileRange(infd, off, outfd, nil, n, 0)
	})
	if !copyFileRangeUnsupported(err) {
		return err
	}
	st.Fallback = err
	st.Method = Sendfile
	return sendfileRange(out, src, off, size, chunk, st)
}

// copyFileRangeUnsupported reports whether copy_file_range failed because
// the kernel cannot do it for this pair of files, which sendfile still can.
// ENOSYS: no such call (before Linux 4.5). EXDEV: another file system
// (type). EOPNOTSUPP: the file system lacks it. EINVAL: dst is not a
// regular file, e.g. a pipe.
func copyFileRangeUnsupported(err error) bool {
	for _, errno := range []error{unix.ENOSYS, unix.EXDEV, unix.EOPNOTSUPP, unix.EINVAL} {
		if errors.Is(err, errno) {
			return true
		}
	}
	return false
}
