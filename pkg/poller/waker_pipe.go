//go:build !linux

package poller

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// A pipe may hold many wakeup bytes; Drain reads until it is empty.
const drainAgain = true

func newWakeFDs() (r, w int, err error) {
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	var p [2]int
	if err := unix.Pipe(p[:]); err != nil {
		return -1, -1, os.NewSyscallError("pipe", err)
	}
	for _, fd := range p {
		unix.CloseOnExec(fd)
		if err := unix.SetNonblock(fd, true); err != nil {
			unix.Close(p[0])
			unix.Close(p[1])
			return -1, -1, os.NewSyscallError("pipe", err)
		}
	}
	return p[0], p[1], nil
}

func signalWakeFD(fd int) error {
	_, err := unix.Write(fd, []byte{1})
	return err
}
