package poller

import (
	"time"

	"golang.org/x/sys/unix"
)

// selectPoller waits with select(2). It keeps the interest as two master
// fd_sets, one bit per descriptor, and hands the kernel copies: select
// overwrites its arguments with the ready subset. The kernel scans every
// bit up to the highest descriptor on every call, and an fd_set has room
// only for descriptors below FD_SETSIZE (1024), so Add refuses larger ones
// instead of writing past the end of the set.
type selectPoller struct {
	read, write unix.FdSet
	nfd         int // one more than the highest descriptor watched
}

// NewSelect returns a Poller over select(2), the oldest and most portable
// mechanism.
func NewSelect() Poller { return &selectPoller{} }

func (*selectPoller) Name() string { return "select" }
func (*selectPoller) Close() error { return nil }

func (p *selectPoller) Add(fd int, ev Events) error {
	if err := check("select", "add", fd, ev); err != nil {
		return err
	}
	if fd >= unix.FD_SETSIZE {
		return &Error{"add", "select", fd, ErrDescriptorTooLarge}
	}
	if p.watched(fd) {
		return &Error{"add", "select", fd, ErrWatched}
	}
	p.set(fd, ev)
	p.nfd = max(p.nfd, fd+1)
	return nil
}

func (p *selectPoller) Modify(fd int, ev Events) error {
	if err := check("select", "modify", fd, ev); err != nil {
		return err
	}
	if !p.watched(fd) {
		return &Error{"modify", "select", fd, ErrNotWatched}
	}
	p.set(fd, ev)
	return nil
}

func (p *selectPoller) Remove(fd int) error {
	if !p.watched(fd) {
		return &Error{"remove", "select", fd, ErrNotWatched}
	}
	p.set(fd, 0)
	for p.nfd > 0 && !p.watched(p.nfd-1) {
		p.nfd--
	}
	return nil
}

func (p *selectPoller) set(fd int, ev Events) {
	p.read.Clear(fd)
	p.write.Clear(fd)
	if ev&Read != 0 {
		p.read.Set(fd)
	}
	if ev&Write != 0 {
		p.write.Set(fd)
	}
}

func (p *selectPoller) watched(fd int) bool {
	return fd >= 0 && fd < p.nfd && (p.read.IsSet(fd) || p.write.IsSet(fd))
}

func (p *selectPoller) Wait(ready []Event, timeout time.Duration) ([]Event, error) {
	var r, w unix.FdSet
	_, err := retryEINTR("select", "select", timeout, func(left time.Duration) (int, error) {
		r, w = p.read, p.write // select overwrites the sets it is given
		return unix.Select(p.nfd, &r, &w, nil, timeval(left))
	})
	if err != nil {
		return ready, err
	}
	for fd := range p.nfd {
		var ev Events
		if r.IsSet(fd) {
			ev |= Read
		}
		if w.IsSet(fd) {
			ev |= Write
		}
		if ev != 0 {
			ready = append(ready, Event{fd, ev})
		}
	}
	return ready, nil
}

// timeval converts a timeout to select's: nil blocks.
func timeval(d time.Duration) *unix.Timeval {
	if d < 0 {
		return nil
	}
	tv := unix.NsecToTimeval(d.Nanoseconds())
	return &tv
}
