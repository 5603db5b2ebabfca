//go:build linux

package sheet

import "golang.org/x/sys/unix"

// EpollServer registers fds with a new epoll instance and waits until
// some can be read. The interest list lives in the kernel: a wait costs
// the ready descriptors, not all registered ones.
//
// Calls: unix.EpollCreate1, unix.EpollCtl, unix.EpollWait
// Python: select.epoll, .register, select.EPOLLIN
func EpollServer(fds []int) ([]unix.EpollEvent, error) {
	ep, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, err
	}
	defer unix.Close(ep)
	for _, fd := range fds {
		ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(fd)}
		if err := unix.EpollCtl(ep, unix.EPOLL_CTL_ADD, fd, &ev); err != nil {
			return nil, err
		}
	}
	events := make([]unix.EpollEvent, len(fds))
	n, err := unix.EpollWait(ep, events, -1)
	return events[:max(n, 0)], err
}
