//go:build aix || darwin

package socketpair

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// socketpair makes a pair of connected Unix stream sockets and marks them
// close-on-exec. These systems have no SOCK_CLOEXEC, so the flag is set
// after the call; holding syscall.ForkLock for reading meanwhile keeps a
// fork in os/exec from passing the descriptors to a child in between.
func socketpair() ([2]int, error) {
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	if err != nil {
		return fds, err
	}
	unix.CloseOnExec(fds[0])
	unix.CloseOnExec(fds[1])
	return fds, nil
}
