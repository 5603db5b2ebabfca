//go:build linux

package sheet

import (
	"os"

	"golang.org/x/sys/unix"
)

// SendfileCopy copies src to dst inside the kernel with sendfile(2): the
// bytes never pass through the program. sendfile may copy less than asked,
// so it is called until the whole file is across.
//
// Calls: unix.Sendfile
// Python: os.sendfile
func SendfileCopy(dst, src *os.File) (int64, error) {
	st, err := src.Stat()
	if err != nil {
		return 0, err
	}
	var off int64
	for off < st.Size() {
		n, err := unix.Sendfile(int(dst.Fd()), int(src.Fd()), &off, int(st.Size()-off))
		if err != nil {
			return off, err
		}
		if n == 0 {
			break
		}
	}
	return off, nil
}
