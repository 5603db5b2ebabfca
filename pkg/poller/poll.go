package poller

import (
	"time"

	"golang.org/x/sys/unix"
)

// pollPoller waits with poll(2): an array with one pollfd per descriptor,
// the events wanted in Events (POLLIN to read, POLLOUT to write), the
// events that happened filled in by the kernel in Revents. There is no
// FD_SETSIZE limit, but the whole array crosses into the kernel and is
// scanned on every call, so a wait costs in proportion to the descriptors
// watched, not to those ready.
type pollPoller struct {
	fds []unix.PollFd
	// at holds, by descriptor, one more than its index in fds (0: not
	// watched). The kernel hands out the lowest free numbers, so a slice
	// stays short and, unlike a map, grows by a few doublings.
	at []int
}

// NewPoll returns a Poller over poll(2).
func NewPoll() Poller { return &pollPoller{} }

// index returns fd's index in fds.
func (p *pollPoller) index(fd int) (int, bool) {
	if fd < 0 || fd >= len(p.at) || p.at[fd] == 0 {
		return 0, false
	}
	return p.at[fd] - 1, true
}

func (*pollPoller) Name() string { return "poll" }
func (*pollPoller) Close() error { return nil }

func (p *pollPoller) Add(fd int, ev Events) error {
	if err := check("poll", "add", fd, ev); err != nil {
		return err
	}
	if _, ok := p.index(fd); ok {
		return &Error{"add", "poll", fd, ErrWatched}
	}
	if fd >= len(p.at) {
		p.at = append(p.at, make([]int, fd+1-len(p.at))...)
	}
	p.at[fd] = len(p.fds) + 1
	p.fds = append(p.fds, unix.PollFd{Fd: int32(fd), Events: pollEvents(ev)})
	return nil
}

func (p *pollPoller) Modify(fd int, ev Events) error {
	if err := check("poll", "modify", fd, ev); err != nil {
		return err
	}
	i, ok := p.index(fd)
	if !ok {
		return &Error{"modify", "poll", fd, ErrNotWatched}
	}
	p.fds[i].Events = pollEvents(ev)
	return nil
}

// Remove moves the last entry into fd's place, so the array stays dense.
func (p *pollPoller) Remove(fd int) error {
	i, ok := p.index(fd)
	if !ok {
		return &Error{"remove", "poll", fd, ErrNotWatched}
	}
	last := len(p.fds) - 1
	p.fds[i] = p.fds[last]
	p.at[int(p.fds[i].Fd)] = i + 1
	p.fds = p.fds[:last]
	p.at[fd] = 0
	return nil
}

func pollEvents(ev Events) int16 {
	var e int16
	if ev&Read != 0 {
		e |= unix.POLLIN
	}
	if ev&Write != 0 {
		e |= unix.POLLOUT
	}
	return e
}

func (p *pollPoller) Wait(ready []Event, timeout time.Duration) ([]Event, error) {
	_, err := retryEINTR("poll", "poll", timeout, func(left time.Duration) (int, error) {
		return unix.Poll(p.fds, millis(left))
	})
	if err != nil {
		return ready, err
	}
	for _, pf := range p.fds {
		var ev Events
		if pf.Revents&^unix.POLLOUT != 0 { // POLLIN, or POLLERR, POLLHUP, POLLNVAL
			ev |= Read
		}
		if pf.Revents&^unix.POLLIN != 0 {
			ev |= Write
		}
		if ev != 0 {
			ready = append(ready, Event{int(pf.Fd), ev})
		}
	}
	return ready, nil
}
