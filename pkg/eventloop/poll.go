package eventloop

import (
	"context"
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

// servePoll is the poll-server recipe. Each round lists every descriptor
// with the events wanted for it, POLLIN to read and POLLOUT to write, and
// poll(2) fills in what happened in each entry's Revents.
//
// Unlike select there is no FD_SETSIZE limit, but the whole array still
// crosses into the kernel and is scanned on every call, so the cost grows
// with the number of clients, not with the number that are ready.
func (s *Server) servePoll(ctx context.Context) error {
	l := s.newLoop(ctx)
	defer l.closeAll()
	wake := s.wake.FD()
	var fds []unix.PollFd
	for {
		fds = append(fds[:0], unix.PollFd{Fd: int32(wake), Events: unix.POLLIN})
		if ln := s.listener(); ln >= 0 {
			fds = append(fds, unix.PollFd{Fd: int32(ln), Events: unix.POLLIN})
		}
		for fd, c := range l.conns {
			if c == nil {
				continue
			}
			var ev int16
			if c.WantRead() {
				ev |= unix.POLLIN
			}
			if c.WantWrite() {
				ev |= unix.POLLOUT
			}
			fds = append(fds, unix.PollFd{Fd: int32(fd), Events: ev})
		}

		_, err := unix.Poll(fds, millis(l.timeout()))
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return fmt.Errorf("poll: %w", err)
		}

		for _, p := range fds {
			if p.Revents == 0 {
				continue
			}
			switch fd := int(p.Fd); {
			case fd == wake:
				l.wakeup()
			case fd == s.listener():
				l.accept(func(*Conn) error { return nil })
			default:
				c := l.conn(fd)
				if c == nil {
					continue // closed earlier in this round, by the shutdown
				}
				// POLLERR and POLLHUP are reported even when not asked
				// for; reading or writing is what turns them into the
				// error or EOF that closes the client.
				bad := p.Revents&(unix.POLLERR|unix.POLLHUP|unix.POLLNVAL) != 0
				l.service(c, bad || p.Revents&unix.POLLIN != 0, bad || p.Revents&unix.POLLOUT != 0)
			}
		}
		if l.finished() {
			return nil
		}
	}
}
