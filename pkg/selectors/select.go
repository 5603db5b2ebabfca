package selectors

import (
	"errors"
	"fmt"
	"time"

	"github.com/sockbook/sockbook/pkg/eventloop"
	"golang.org/x/sys/unix"
)

// NewSelectSelector returns a Selector over select(2). It refuses
// descriptors at or above FD_SETSIZE (1024) with an error matching
// eventloop.ErrDescriptorTooLarge.
func NewSelectSelector() (Selector, error) { return newSelector(selectBackend{}, nil) }

type selectBackend struct{}

func (selectBackend) name() string { return "select" }

func (selectBackend) add(fd int, _ Events) error       { return eventloop.CheckSelectable(fd) }
func (selectBackend) modify(int, Events, Events) error { return nil }
func (selectBackend) remove(int, Events) error         { return nil }
func (selectBackend) close() error                     { return nil }

// wait rebuilds the fd_sets from the keys on every call: select keeps no
// state between calls and overwrites its arguments.
func (selectBackend) wait(timeout time.Duration, keys map[int]*SelectorKey, ready []fdEvents) ([]fdEvents, error) {
	dl := newDeadline(timeout)
	for {
		var r, w unix.FdSet
		nfd := 0
		for fd, k := range keys {
			if k.Events&EventRead != 0 {
				r.Set(fd)
			}
			if k.Events&EventWrite != 0 {
				w.Set(fd)
			}
			nfd = max(nfd, fd+1)
		}
		var tv *unix.Timeval
		if left := dl.left(); left >= 0 {
			t := unix.NsecToTimeval(left.Nanoseconds())
			tv = &t
		}
		_, err := unix.Select(nfd, &r, &w, nil, tv)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return ready, fmt.Errorf("select: %w", err)
		}
		for fd := range keys {
			var ev Events
			if r.IsSet(fd) {
				ev |= EventRead
			}
			if w.IsSet(fd) {
				ev |= EventWrite
			}
			if ev != 0 {
				ready = append(ready, fdEvents{fd, ev})
			}
		}
		return ready, nil
	}
}
