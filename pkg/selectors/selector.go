package selectors

import (
	"errors"
	"fmt"
	"time"
)

// Events is a set of readiness events.
type Events uint8

// The events a descriptor can be registered for, as Python's EVENT_READ
// and EVENT_WRITE.
const (
	EventRead  Events = 1 << iota // readable: data, a new connection, EOF or an error waits
	EventWrite                    // writable: the send buffer has room
)

// String names the events as the Python constants do, without the
// prefix: "read", "write", "read|write", or "none".
func (e Events) String() string {
	switch e {
	case EventRead:
		return "read"
	case EventWrite:
		return "write"
	case EventRead | EventWrite:
		return "read|write"
	case 0:
		return "none"
	}
	return fmt.Sprintf("Events(%#x)", uint8(e))
}

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

// backend is what differs between mechanisms; registry does the rest.
type backend interface {
	name() string
	add(fd int, ev Events) error
	modify(fd int, old, ev Events) error
	remove(fd int, old Events) error
	// wait appends the ready descriptors and their events to ready. An
	// event outside a key's Events may be reported (errors and hangups
	// make a descriptor both readable and writable); registry masks it.
	wait(timeout time.Duration, keys map[int]*SelectorKey, ready []fdEvents) ([]fdEvents, error)
	close() error
}

type fdEvents struct {
	fd int
	ev Events
}

// registry implements Selector over a backend.
type registry struct {
	b      backend
	keys   map[int]*SelectorKey
	ready  []fdEvents
	closed bool
}

func newSelector(b backend, err error) (Selector, error) {
	if err != nil {
		return nil, err
	}
	return &registry{b: b, keys: map[int]*SelectorKey{}}, nil
}

func (r *registry) Name() string { return r.b.name() }
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
	if err := r.b.add(fd, events); err != nil {
		return nil, fmt.Errorf("selectors: register descriptor %d with %s: %w", fd, r.b.name(), err)
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
		if err := r.b.modify(fd, k.Events, events); err != nil {
			return nil, fmt.Errorf("selectors: modify descriptor %d with %s: %w", fd, r.b.name(), err)
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
	if err := r.b.remove(fd, k.Events); err != nil {
		return k, fmt.Errorf("selectors: unregister descriptor %d from %s: %w", fd, r.b.name(), err)
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
		return nil, fmt.Errorf("selectors: select: %w", ErrClosed)
	}
	var err error
	r.ready, err = r.b.wait(timeout, r.keys, r.ready[:0])
	if err != nil {
		return nil, fmt.Errorf("selectors: %s: %w", r.b.name(), err)
	}
	out := make([]Ready, 0, len(r.ready))
	for _, fe := range r.ready {
		k := r.keys[fe.fd]
		if k == nil {
			continue
		}
		if ev := fe.ev & k.Events; ev != 0 {
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
	return r.b.close()
}

// deadline tracks a timeout across waits that a signal interrupted.
type deadline struct {
	end     time.Time
	forever bool
}

func newDeadline(timeout time.Duration) deadline {
	return deadline{end: time.Now().Add(timeout), forever: timeout < 0}
}

// left returns the time left, negative for no limit.
func (d deadline) left() time.Duration {
	if d.forever {
		return -1
	}
	return max(time.Until(d.end), 0)
}

func millis(d time.Duration) int {
	if d < 0 {
		return -1
	}
	return int((d + time.Millisecond - 1) / time.Millisecond)
}
