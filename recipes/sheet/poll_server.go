package sheet

import "golang.org/x/sys/unix"

// PollServer waits with poll(2) until some of fds can be read. Unlike
// select it takes any descriptor number, and reports hang-ups apart.
//
// Calls: unix.Poll
// Python: select.poll, .register, select.POLLIN
func PollServer(fds []int) ([]int, error) {
	pfds := make([]unix.PollFd, len(fds))
	for i, fd := range fds {
		pfds[i] = unix.PollFd{Fd: int32(fd), Events: unix.POLLIN}
	}
	if _, err := unix.Poll(pfds, -1); err != nil {
		return nil, err
	}
	var ready []int
	for _, p := range pfds {
		if p.Revents&(unix.POLLIN|unix.POLLHUP) != 0 {
			ready = append(ready, int(p.Fd))
		}
	}
	return ready, nil
}
