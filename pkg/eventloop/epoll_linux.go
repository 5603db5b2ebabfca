package eventloop

import (
	"context"
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

const haveEpoll = true

// serveEpoll is the epoll-server recipe. Unlike select and poll, the
// interest list lives in the kernel: a descriptor is added once
// (EPOLL_CTL_ADD), changed only when what the loop waits for changes
// (EPOLL_CTL_MOD), and epoll_wait returns just the ready ones, so a round
// costs in proportion to the activity, not to the number of clients. This
// is what Go's own network poller uses on Linux.
//
// The loop uses epoll's default level-triggered mode: a descriptor is
// reported for as long as it is ready, so a client that was not fully
// served (one read per round, to be fair to the others) comes back next
// round. Edge-triggered mode (EPOLLET) would require reading until EAGAIN.
func (s *Server) serveEpoll(ctx context.Context) error {
	ep, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return fmt.Errorf("epoll_create1: %w", err)
	}
	defer unix.Close(ep)
	l := s.newLoop(ctx)
	defer l.closeAll() // before the deferred close of ep: clients leave the set as they close

	wake, ln := s.wake.FD(), s.listener()
	for _, fd := range []int{wake, ln} {
		ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(fd)}
		if err := unix.EpollCtl(ep, unix.EPOLL_CTL_ADD, fd, &ev); err != nil {
			return fmt.Errorf("epoll_ctl add descriptor %d: %w", fd, err)
		}
	}
	// rearm tells the kernel when what a client waits for has changed.
	rearm := func(c *Conn) error {
		want := epollInterest(c)
		if want == c.armed {
			return nil
		}
		op := unix.EPOLL_CTL_MOD
		if c.armed == 0 {
			op = unix.EPOLL_CTL_ADD
		}
		ev := unix.EpollEvent{Events: uint32(want), Fd: int32(c.FD())}
		if err := unix.EpollCtl(ep, op, c.FD(), &ev); err != nil {
			return fmt.Errorf("epoll_ctl descriptor %d: %w", c.FD(), err)
		}
		c.armed = want
		return nil
	}

	events := make([]unix.EpollEvent, 256)
	for {
		n, err := unix.EpollWait(ep, events, millis(l.timeout()))
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return fmt.Errorf("epoll_wait: %w", err)
		}
		for _, ev := range events[:n] {
			// Clients first: they are nearly every event, and a
			// descriptor in the table is a client, so the listener's
			// lock is only taken for events that are not.
			fd := int(ev.Fd)
			c := l.conn(fd)
			if c == nil {
				switch {
				case fd == wake:
					l.wakeup()
					for _, c := range l.conns {
						if c == nil {
							continue
						}
						if err := rearm(c); err != nil {
							l.close(c, err.Error())
						}
					}
				case fd == s.listener():
					l.accept(rearm)
				}
				// Anything else is a client closed earlier in this batch.
				continue
			}
			bad := ev.Events&(unix.EPOLLERR|unix.EPOLLHUP) != 0
			open := l.service(c, bad || ev.Events&unix.EPOLLIN != 0, bad || ev.Events&unix.EPOLLOUT != 0)
			if !open {
				// A client closed in this batch may have its number
				// reused by an accept later in the batch; then a
				// stale event for the old client reaches the new one,
				// which is harmless: its read or write finds EAGAIN.
				continue
			}
			if err := rearm(c); err != nil {
				l.close(c, err.Error())
			}
		}
		if l.finished() {
			return nil
		}
	}
}

func epollInterest(c *Conn) int16 {
	var ev int16
	if c.WantRead() {
		ev |= unix.EPOLLIN
	}
	if c.WantWrite() {
		ev |= unix.EPOLLOUT
	}
	return ev
}
