package sendfile

import (
	"cmp"
	"io"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// copyFileRange moves src's bytes from *off up to size with
// copy_file_range(2), which writes at the destination's file offset. Where
// the kernel cannot do it for this pair of files it carries on with
// sendfile from where it stopped.
func copyFileRange(out syscall.RawConn, src *os.File, off *int64, size int64, chunk int, st *Stats) error {
	var opErr error
	err := withFDs(out, src, func(outfd, infd int) bool {
		for *off < size {
			n, err := unix.CopyFileRange(infd, off, outfd, nil, int(min(int64(chunk), size-*off)), 0)
			switch {
			case err == unix.EINTR:
				st.Retries++
			case err == unix.EAGAIN:
				st.Retries++
				return false
			// ENOSYS: no such call (before Linux 4.5). EXDEV: another
			// file system (type). EOPNOTSUPP: the file system lacks it.
			// EINVAL: dst is not a regular file, e.g. a pipe.
			case err == unix.ENOSYS, err == unix.EXDEV, err == unix.EOPNOTSUPP, err == unix.EINVAL:
				st.Fallback = os.NewSyscallError("copy_file_range", err)
				return true
			case err != nil:
				opErr = os.NewSyscallError("copy_file_range", err)
				return true
			case n == 0:
				opErr = io.ErrUnexpectedEOF
				return true
			default:
				st.record(n)
			}
		}
		return true
	})
	if err := cmp.Or(opErr, err); err != nil || st.Fallback == nil {
		return err
	}
	st.Method = Sendfile
	return sendfileRange(out, src, off, size, chunk, st)
}
