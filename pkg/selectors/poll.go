package selectors

import (
	"errors"
	"fmt"
	"time"

	"golang.org/x/sys/unix"
)

// NewPollSelector returns a Selector over poll(2).
func NewPollSelector() (Selector, error) { return newSelector(&pollBackend{}, nil) }

type pollBackend struct {
	fds []unix.PollFd // rebuilt on each wait; kept to reuse its array
}

func (*pollBackend) name() string { return "poll" }

func (*pollBackend) add(int, Events) error            { return nil }
func (*pollBackend) modify(int, Events, Events) error { return nil }
func (*pollBackend) remove(int, Events) error         { return nil }
func (*pollBackend) close() error                     { return nil }

func (p *pollBackend) wait(timeout time.Duration, keys map[int]*SelectorKey, ready []fdEvents) ([]fdEvents, error) {
	p.fds = p.fds[:0]
	for fd, k := range keys {
		var ev int16
		if k.Events&EventRead != 0 {
			ev |= unix.POLLIN
		}
		if k.Events&EventWrite != 0 {
			ev |= unix.POLLOUT
		}
		p.fds = append(p.fds, unix.PollFd{Fd: int32(fd), Events: ev})
	}
	dl := newDeadline(timeout)
	for {
		_, err := unix.Poll(p.fds, millis(dl.left()))
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return ready, fmt.Errorf("poll: %w", err)
		}
		break
	}
	for _, pf := range p.fds {
		var ev Events
		if pf.Revents&^unix.POLLOUT != 0 { // POLLIN, or an error or hangup
			ev |= EventRead
		}
		if pf.Revents&^unix.POLLIN != 0 {
			ev |= EventWrite
		}
		if ev != 0 {
			ready = append(ready, fdEvents{int(pf.Fd), ev})
		}
	}
	return ready, nil
}
