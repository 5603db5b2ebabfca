//go:build unix

package capture

import (
	"os"

	"golang.org/x/sys/unix"
)

// dupFD returns a new file for a duplicate of fd, close-on-exec.
func dupFD(fd int) (*os.File, error) {
	d, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 3)
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(d), "saved"), nil
}

// redirectFD makes to refer to what from refers to.
func redirectFD(from, to int) error {
	return unix.Dup2(from, to)
}
