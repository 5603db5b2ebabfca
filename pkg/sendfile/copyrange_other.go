//go:build !linux

package sendfile

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// copyFileRange records in st.Fallback that copy_file_range(2) is a Linux
// system call and moves src's bytes from *off up to size with sendfile, as
// the Linux version does where the kernel lacks the call.
func copyFileRange(out syscall.RawConn, src *os.File, off *int64, size int64, chunk int, st *Stats) error {
	st.Fallback = fmt.Errorf("copy_file_range needs Linux: %w", errors.ErrUnsupported)
	st.Method = Sendfile
	return sendfileRange(out, src, off, size, chunk, st)
}
