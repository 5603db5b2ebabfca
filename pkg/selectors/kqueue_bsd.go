//go:build darwin || freebsd || netbsd || openbsd || dragonfly

package selectors

import (
	"errors"
	"fmt"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// NewKqueueSelector returns a Selector over kqueue(2).
func NewKqueueSelector() (Selector, error) {
	syscall.ForkLock.RLock()
	kq, err := unix.Kqueue()
	if err == nil {
		unix.CloseOnExec(kq)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return nil, fmt.Errorf("selectors: kqueue: %w", err)
	}
	return newSelector(&kqueueBackend{kq: kq, events: make([]unix.Kevent_t, 256)}, nil)
}

// NewDefaultSelector returns the most efficient Selector this system
// has, as Python's DefaultSelector: kqueue on macOS and the BSDs.
func NewDefaultSelector() (Selector, error) { return NewKqueueSelector() }

type kqueueBackend struct {
	kq     int
	events []unix.Kevent_t
	index  map[int]int // fd to its entry in the ready list being built
}

func (*kqueueBackend) name() string { return "kqueue" }

// apply changes the read and write filters of fd from old to ev, at once:
// kqueue keeps one registration per filter.
func (b *kqueueBackend) apply(fd int, old, ev Events) error {
	var changes []unix.Kevent_t
	for _, f := range []struct {
		bit    Events
		filter int
	}{{EventRead, unix.EVFILT_READ}, {EventWrite, unix.EVFILT_WRITE}} {
		var flags int
		switch {
		case ev&f.bit != 0 && old&f.bit == 0:
			flags = unix.EV_ADD
		case ev&f.bit == 0 && old&f.bit != 0:
			flags = unix.EV_DELETE
		default:
			continue
		}
		var k unix.Kevent_t
		unix.SetKevent(&k, fd, f.filter, flags)
		changes = append(changes, k)
	}
	if len(changes) == 0 {
		return nil
	}
	_, err := unix.Kevent(b.kq, changes, nil, nil)
	return err
}

func (b *kqueueBackend) add(fd int, ev Events) error         { return b.apply(fd, 0, ev) }
func (b *kqueueBackend) modify(fd int, old, ev Events) error { return b.apply(fd, old, ev) }
func (b *kqueueBackend) remove(fd int, old Events) error     { return b.apply(fd, old, 0) }
func (b *kqueueBackend) close() error                        { return unix.Close(b.kq) }

func (b *kqueueBackend) wait(timeout time.Duration, keys map[int]*SelectorKey, ready []fdEvents) ([]fdEvents, error) {
	// A key may have two filters, so two events.
	if n := max(2*len(keys), 1); n > len(b.events) {
		b.events = make([]unix.Kevent_t, n)
	}
	dl := newDeadline(timeout)
	var n int
	for {
		var ts *unix.Timespec
		if left := dl.left(); left >= 0 {
			t := unix.NsecToTimespec(left.Nanoseconds())
			ts = &t
		}
		var err error
		n, err = unix.Kevent(b.kq, nil, b.events, ts)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return ready, fmt.Errorf("kevent: %w", err)
		}
		break
	}
	clear(b.index)
	if b.index == nil {
		b.index = map[int]int{}
	}
	for _, e := range b.events[:n] {
		fd := int(e.Ident)
		var ev Events
		switch int(e.Filter) {
		case unix.EVFILT_READ:
			ev = EventRead
		case unix.EVFILT_WRITE:
			ev = EventWrite
		}
		if e.Flags&unix.EV_EOF != 0 {
			ev = EventRead | EventWrite
		}
		if i, ok := b.index[fd]; ok {
			ready[i].ev |= ev
			continue
		}
		b.index[fd] = len(ready)
		ready = append(ready, fdEvents{fd, ev})
	}
	return ready, nil
}
