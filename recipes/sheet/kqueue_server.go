//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package sheet

import "golang.org/x/sys/unix"

// KqueueServer adds a read filter for each of fds to a new kqueue and
// waits until some can be read: one kevent(2) call both applies the
// changes and waits. BSD and macOS only.
//
// Calls: unix.Kqueue, unix.SetKevent, unix.Kevent
// Python: select.kqueue, select.kevent, .control
func KqueueServer(fds []int) ([]unix.Kevent_t, error) {
	kq, err := unix.Kqueue()
	if err != nil {
		return nil, err
	}
	defer unix.Close(kq)
	changes := make([]unix.Kevent_t, len(fds))
	for i, fd := range fds {
		unix.SetKevent(&changes[i], fd, unix.EVFILT_READ, unix.EV_ADD)
	}
	events := make([]unix.Kevent_t, len(fds))
	n, err := unix.Kevent(kq, changes, events, nil)
	return events[:max(n, 0)], err
}
