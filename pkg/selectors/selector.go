package selectors

import (
	"errors"
	"fmt"
	"time"

	"github.com/sockbook/sockbook/pkg/poller"
)

// Events is a set of readiness events. Its bits are package poller's.
type Events uint8

// The events a descriptor can be registered for, as Python's EVENT_READ
// and EVENT_WRITE.
const (
	EventRead  = Events(poller.Read)  // readable: data, a new connection, EOF or an error waits
	EventWrite = Events(poller.Write) // writable: the send buffer has room
)

// String names the events as the Python constants do, without the
// prefix: "read", "write", "read|write", or "none".
func (e Events) String() string { return poller.Events(e).String() }

// A SelectorKey ties a registered descriptor to the events it is watched
// for and to the data the caller attached, as Python's SelectorKey.
type SelectorKey struct {
	FD     int
	Events Events
	Data   any
}

// A Ready is one result of Select: a registered key and which of its
// events are ready.
type Ready struct {
	Key    *SelectorKey
	Events Events
}

// Errors returned by every Selector; they are wrapped with the descriptor
// in question.
var (
	ErrRegistered    = errors.New("already registered")
	ErrNotRegistered = errors.New("not registered")
	ErrClosed        = errors.New("selector closed")
)

// A Selector watches registered descriptors for readiness. Its methods
// must be called from one goroutine at a time.
type Selector interface {
	// Register starts watching fd for events and attaches data to it.
	Register(fd int, events Events, data any) (*SelectorKey, error)
	// Modify changes what fd is watched for and its data.
	Modify(fd int, events Events, data any) (*SelectorKey, error)
	// Unregister stops watching fd and returns its key. Unregister before
	// closing fd.
	Unregister(fd int) (*SelectorKey, error)
	// Select waits until a registered descriptor is ready or timeout has
	// passed (a negative timeout waits without limit, zero does not wait)
	// and returns the ready ones. A signal that interrupts the wait does
	// not end it early.
	Select(timeout time.Duration) ([]Ready, error)
	// Key returns fd's key.
	Key(fd int) (*SelectorKey, error)
	// Len returns the number of registered descriptors.
	Len() int
	// Name names the mechanism: "select", "poll", "epoll" or "kqueue".
	Name() string
	// Close releases the selector's own resources; it does not close the
	// registered descriptors.
	Close() error
}

// The Selector constructors, one per mechanism of package poller, where
// the system calls are.

// NewSelectSelector returns a Selector over select(2). It refuses
// descriptors at or above FD_SETSIZE (1024) with an error matching
// poller.ErrDescriptorTooLarge.
func NewSelectSelector() (Selector, error) { return newSelector(poller.NewSelect(), nil) }

// NewPollSelector returns a Selector over poll(2).
func NewPollSelector() (Selector, error) { return newSelector(poller.NewPoll(), nil) }

// NewEpollSelector returns a Selector over Linux's epoll(7); elsewhere an
// error matching errors.ErrUnsupported.
func NewEpollSelector() (Selector, error) { return newSelector(poller.NewEpoll()) }

// NewKqueueSelector returns a Selector over kqueue(2) on macOS and the
// BSDs; elsewhere an error matching errors.ErrUnsupported.
func NewKqueueSelector() (Selector, error) { return newSelector(poller.NewKqueue()) }

// NewDefaultSelector returns the most efficient Selector this system has,
// as Python's DefaultSelector: epoll on Linux, kqueue on macOS and the BSDs.
func NewDefaultSelector() (Selector, error) { return newSelector(poller.Default()) }

// registry implements Selector over a poller: the keys and their data
// are its own, the waiting is the poller's.
type registry struct {
	p      poller.Poller
	keys   map[int]*SelectorKey
	ready  []poller.Event
	closed bool
}

func newSelector(p poller.Poller, err error) (Selector, error) {
	if err != nil {
		return nil, fmt.Errorf("selectors: %w", err)
	}
	return &registry{p: p, keys: map[int]*SelectorKey{}}, nil
}

func (r *registry) Name() string { return r.p.Name() }
func (r *registry) Len() int     { return len(r.keys) }

func (r *registry) check(fd int, events Events) error {
	switch {
	case r.closed:
		return fmt.Errorf("selectors: descriptor %d: %w", fd, ErrClosed)
	case fd < 0:
		return fmt.Errorf("selectors: descriptor %d: negative", fd)
	case events == 0 || events&^(EventRead|EventWrite) != 0:
		return fmt.Errorf("selectors: descriptor %d: invalid events %v", fd, events)
	}
	return nil
}

func (r *registry) Register(fd int, events Events, data any) (*SelectorKey, error) {
	if err := r.check(fd, events); err != nil {
		return nil, err
	}
	if _, ok := r.keys[fd]; ok {
		return nil, fmt.Errorf("selectors: descriptor %d: %w", fd, ErrRegistered)
	}
	if err := r.p.Add(fd, poller.Events(events)); err != nil {
		return nil, fmt.Errorf("selectors: %w", err)
	}
	k := &SelectorKey{FD: fd, Events: events, Data: data}
	r.keys[fd] = k
	return k, nil
}

func (r *registry) Modify(fd int, events Events, data any) (*SelectorKey, error) {
	if err := r.check(fd, events); err != nil {
		return nil, err
	}
	k, ok := r.keys[fd]
	if !ok {
		return nil, fmt.Errorf("selectors: descriptor %d: %w", fd, ErrNotRegistered)
	}
	if events != k.Events {
		if err := r.p.Modify(fd, poller.Events(events)); err != nil {
			return nil, fmt.Errorf("selectors: %w", err)
		}
	}
	// A new key, as in Python: a key returned by Select stays as it was.
	k = &SelectorKey{FD: fd, Events: events, Data: data}
	r.keys[fd] = k
	return k, nil
}

func (r *registry) Unregister(fd int) (*SelectorKey, error) {
	if r.closed {
		return nil, fmt.Errorf("selectors: descriptor %d: %w", fd, ErrClosed)
	}
	k, ok := r.keys[fd]
	if !ok {
		return nil, fmt.Errorf("selectors: descriptor %d: %w", fd, ErrNotRegistered)
	}
	delete(r.keys, fd)
	// The key is gone either way: a descriptor closed before Unregister
	// has already left the kernel's interest list, so its error says
	// nothing useful.
	if err := r.p.Remove(fd); err != nil {
		return k, fmt.Errorf("selectors: %w", err)
	}
	return k, nil
}

func (r *registry) Key(fd int) (*SelectorKey, error) {
	if k, ok := r.keys[fd]; ok {
		return k, nil
	}
	return nil, fmt.Errorf("selectors: descriptor %d: %w", fd, ErrNotRegistered)
}

func (r *registry) Select(timeout time.Duration) ([]Ready, error) {
	if r.closed {
		return nil, fmt.Errorf("selectors: %w", ErrClosed)
	}
	var err error
	r.ready, err = r.p.Wait(r.ready[:0], timeout)
	if err != nil {
		return nil, fmt.Errorf("selectors: %w", err)
	}
	out := make([]Ready, 0, len(r.ready))
	for _, e := range r.ready {
		k := r.keys[e.FD]
		if k == nil {
			continue
		}
		// An error or hang-up comes as both events: report those asked for.
		if ev := Events(e.Events) & k.Events; ev != 0 {
			out = append(out, Ready{Key: k, Events: ev})
		}
	}
	return out, nil
}

func (r *registry) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	r.keys = nil
	return r.p.Close()
}
