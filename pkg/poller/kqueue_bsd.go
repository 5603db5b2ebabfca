//go:build darwin || freebsd || netbsd || openbsd || dragonfly

package poller

import (
	"os"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

const haveKqueue = true

// kqueuePoller waits with kqueue(2), on macOS and the BSDs. Like epoll it
// keeps the interest in the kernel, but as separate filters: a descriptor
// has an EVFILT_READ and an EVFILT_WRITE registration, each added and
// deleted on its own, so the poller remembers which it has. One kevent
// call can both apply changes and wait; here changes are applied at once,
// so that Remove is done before the caller closes the descriptor.
type kqueuePoller struct {
	kq       int
	events   []unix.Kevent_t
	interest map[int]Events
	index    map[int]int // descriptor to its entry in the ready list being built
}

// NewKqueue returns a Poller over a new kqueue.
func NewKqueue() (Poller, error) {
	// kqueue has no close-on-exec flag of its own: hold off forks until
	// it is set, as the net package does.
	syscall.ForkLock.RLock()
	kq, err := unix.Kqueue()
	if err == nil {
		unix.CloseOnExec(kq)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return nil, &Error{"open", "kqueue", -1, os.NewSyscallError("kqueue", err)}
	}
	return &kqueuePoller{kq: kq, events: make([]unix.Kevent_t, 256),
		interest: map[int]Events{}, index: map[int]int{}}, nil
}

// Default returns the most efficient Poller this system has: kqueue.
func Default() (Poller, error) { return NewKqueue() }

func (*kqueuePoller) Name() string   { return "kqueue" }
func (p *kqueuePoller) Close() error { return os.NewSyscallError("close", unix.Close(p.kq)) }

func (p *kqueuePoller) Add(fd int, ev Events) error {
	if err := check("kqueue", "add", fd, ev); err != nil {
		return err
	}
	if _, ok := p.interest[fd]; ok {
		return &Error{"add", "kqueue", fd, ErrWatched}
	}
	return p.change("add", fd, ev)
}

func (p *kqueuePoller) Modify(fd int, ev Events) error {
	if err := check("kqueue", "modify", fd, ev); err != nil {
		return err
	}
	if _, ok := p.interest[fd]; !ok {
		return &Error{"modify", "kqueue", fd, ErrNotWatched}
	}
	return p.change("modify", fd, ev)
}

func (p *kqueuePoller) Remove(fd int) error {
	if _, ok := p.interest[fd]; !ok {
		return &Error{"remove", "kqueue", fd, ErrNotWatched}
	}
	return p.change("remove", fd, 0)
}

// change adds and deletes fd's read and write filters to match ev.
func (p *kqueuePoller) change(op string, fd int, ev Events) error {
	old := p.interest[fd]
	var changes []unix.Kevent_t
	for _, f := range []struct {
		bit    Events
		filter int
	}{{Read, unix.EVFILT_READ}, {Write, unix.EVFILT_WRITE}} {
		var k unix.Kevent_t
		switch {
		case ev&f.bit != 0 && old&f.bit == 0:
			unix.SetKevent(&k, fd, f.filter, unix.EV_ADD)
		case ev&f.bit == 0 && old&f.bit != 0:
			unix.SetKevent(&k, fd, f.filter, unix.EV_DELETE)
		default:
			continue
		}
		changes = append(changes, k)
	}
	if ev == 0 {
		delete(p.interest, fd)
	} else {
		p.interest[fd] = ev
	}
	if len(changes) == 0 {
		return nil
	}
	if _, err := unix.Kevent(p.kq, changes, nil, nil); err != nil {
		return &Error{op, "kqueue", fd, os.NewSyscallError("kevent", err)}
	}
	return nil
}

func (p *kqueuePoller) Wait(ready []Event, timeout time.Duration) ([]Event, error) {
	n, err := retryEINTR("kqueue", "kevent", timeout, func(left time.Duration) (int, error) {
		return unix.Kevent(p.kq, nil, p.events, timespec(left))
	})
	if err != nil {
		return ready, err
	}
	// A descriptor ready both ways comes back as two events, one per
	// filter: merge them into one Event.
	clear(p.index)
	for _, e := range p.events[:n] {
		fd := int(e.Ident)
		ev := Read
		if int(e.Filter) == unix.EVFILT_WRITE {
			ev = Write
		}
		if e.Flags&(unix.EV_EOF|unix.EV_ERROR) != 0 {
			ev = Read | Write
		}
		if i, ok := p.index[fd]; ok {
			ready[i].Events |= ev
			continue
		}
		p.index[fd] = len(ready)
		ready = append(ready, Event{fd, ev})
	}
	return ready, nil
}

// timespec converts a timeout to kevent's: nil blocks.
func timespec(d time.Duration) *unix.Timespec {
	if d < 0 {
		return nil
	}
	ts := unix.NsecToTimespec(d.Nanoseconds())
	return &ts
}
