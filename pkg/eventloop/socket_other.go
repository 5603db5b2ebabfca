//go:build darwin || netbsd || openbsd

package eventloop

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// macOS has neither SOCK_NONBLOCK nor accept4 (and x/sys/unix offers no
// accept4 for NetBSD and OpenBSD), so the flags are set after
// the fact, under syscall.ForkLock, as the net package does, so that a
// concurrent fork+exec cannot inherit the descriptor.

func socket(domain, typ int) (int, error) {
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	fd, err := unix.Socket(domain, typ, 0)
	if err != nil {
		return -1, err
	}
	if err := setFlags(fd); err != nil {
		return -1, err
	}
	return fd, nil
}

func accept(ln int) (int, unix.Sockaddr, error) {
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	fd, sa, err := unix.Accept(ln)
	if err != nil {
		return -1, nil, err
	}
	if err := setFlags(fd); err != nil {
		return -1, nil, err
	}
	return fd, sa, nil
}

func setFlags(fd int) error {
	unix.CloseOnExec(fd)
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return err
	}
	return nil
}
