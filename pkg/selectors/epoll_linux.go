package selectors

import (
	"errors"
	"fmt"
	"time"

	"golang.org/x/sys/unix"
)

// NewEpollSelector returns a Selector over Linux's epoll(7).
func NewEpollSelector() (Selector, error) {
	ep, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("selectors: epoll_create1: %w", err)
	}
	return newSelector(&epollBackend{ep: ep, events: make([]unix.EpollEvent, 256)}, nil)
}

// NewDefaultSelector returns the most efficient Selector this system
// has, as Python's DefaultSelector: epoll on Linux.
func NewDefaultSelector() (Selector, error) { return NewEpollSelector() }

type epollBackend struct {
	ep     int
	events []unix.EpollEvent
}

func (*epollBackend) name() string { return "epoll" }

func epollEvents(ev Events) uint32 {
	var e uint32
	if ev&EventRead != 0 {
		e |= unix.EPOLLIN
	}
	if ev&EventWrite != 0 {
		e |= unix.EPOLLOUT
	}
	return e
}

func (b *epollBackend) ctl(op, fd int, ev Events) error {
	e := unix.EpollEvent{Events: epollEvents(ev), Fd: int32(fd)}
	return unix.EpollCtl(b.ep, op, fd, &e)
}

func (b *epollBackend) add(fd int, ev Events) error       { return b.ctl(unix.EPOLL_CTL_ADD, fd, ev) }
func (b *epollBackend) modify(fd int, _, ev Events) error { return b.ctl(unix.EPOLL_CTL_MOD, fd, ev) }
func (b *epollBackend) remove(fd int, _ Events) error     { return b.ctl(unix.EPOLL_CTL_DEL, fd, 0) }
func (b *epollBackend) close() error                      { return unix.Close(b.ep) }

func (b *epollBackend) wait(timeout time.Duration, keys map[int]*SelectorKey, ready []fdEvents) ([]fdEvents, error) {
	// Ask for at most one event per key: then every ready key fits in
	// one call, as Python does.
	if n := max(len(keys), 1); n > len(b.events) {
		b.events = make([]unix.EpollEvent, n)
	}
	dl := newDeadline(timeout)
	for {
		n, err := unix.EpollWait(b.ep, b.events, millis(dl.left()))
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return ready, fmt.Errorf("epoll_wait: %w", err)
		}
		for _, e := range b.events[:n] {
			var ev Events
			if e.Events&^unix.EPOLLOUT != 0 { // EPOLLIN, or an error or hangup
				ev |= EventRead
			}
			if e.Events&^unix.EPOLLIN != 0 {
				ev |= EventWrite
			}
			ready = append(ready, fdEvents{int(e.Fd), ev})
		}
		return ready, nil
	}
}
