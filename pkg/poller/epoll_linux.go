package poller

import (
	"os"
	"time"

	"golang.org/x/sys/unix"
)

const haveEpoll = true

// epollPoller waits with Linux's epoll(7). Unlike select and poll, the
// interest list lives in the kernel: a descriptor is added once
// (EPOLL_CTL_ADD), changed only when what the caller waits for changes
// (EPOLL_CTL_MOD), and epoll_wait returns just the ready ones, so a wait
// costs in proportion to the activity, not to the number watched. It runs
// in epoll's default level-triggered mode; edge-triggered (EPOLLET) would
// oblige the caller to read and write until EAGAIN every time.
type epollPoller struct {
	ep     int
	events []unix.EpollEvent
}

// NewEpoll returns a Poller over a new epoll instance.
func NewEpoll() (Poller, error) {
	ep, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, &Error{"open", "epoll", -1, os.NewSyscallError("epoll_create1", err)}
	}
	return &epollPoller{ep: ep, events: make([]unix.EpollEvent, 256)}, nil
}

// Default returns the most efficient Poller this system has: epoll.
func Default() (Poller, error) { return NewEpoll() }

func (*epollPoller) Name() string   { return "epoll" }
func (p *epollPoller) Close() error { return os.NewSyscallError("close", unix.Close(p.ep)) }

func (p *epollPoller) Add(fd int, ev Events) error {
	if err := check("epoll", "add", fd, ev); err != nil {
		return err
	}
	return p.ctl("add", unix.EPOLL_CTL_ADD, fd, ev)
}

func (p *epollPoller) Modify(fd int, ev Events) error {
	if err := check("epoll", "modify", fd, ev); err != nil {
		return err
	}
	return p.ctl("modify", unix.EPOLL_CTL_MOD, fd, ev)
}

func (p *epollPoller) Remove(fd int) error { return p.ctl("remove", unix.EPOLL_CTL_DEL, fd, 0) }

func (p *epollPoller) ctl(op string, ctl, fd int, ev Events) error {
	e := unix.EpollEvent{Fd: int32(fd)}
	if ev&Read != 0 {
		e.Events |= unix.EPOLLIN
	}
	if ev&Write != 0 {
		e.Events |= unix.EPOLLOUT
	}
	if err := unix.EpollCtl(p.ep, ctl, fd, &e); err != nil {
		return &Error{op, "epoll", fd, os.NewSyscallError("epoll_ctl", err)}
	}
	return nil
}

func (p *epollPoller) Wait(ready []Event, timeout time.Duration) ([]Event, error) {
	n, err := retryEINTR("epoll", "epoll_wait", timeout, func(left time.Duration) (int, error) {
		return unix.EpollWait(p.ep, p.events, millis(left))
	})
	if err != nil {
		return ready, err
	}
	for _, e := range p.events[:n] {
		var ev Events
		if e.Events&^unix.EPOLLOUT != 0 { // EPOLLIN, or EPOLLERR, EPOLLHUP
			ev |= Read
		}
		if e.Events&^unix.EPOLLIN != 0 {
			ev |= Write
		}
		ready = append(ready, Event{int(e.Fd), ev})
	}
	return ready, nil
}
