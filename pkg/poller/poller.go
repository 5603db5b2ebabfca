package poller

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"time"

	"golang.org/x/sys/unix"
)

// Events is a set of readiness events.
type Events uint8

// The events a descriptor can be watched for.
const (
	Read  Events = 1 << iota // readable: data, a new connection, EOF or an error waits
	Write                    // writable: the send buffer has room
)

// String names the events: "read", "write", "read|write" or "none".
func (e Events) String() string {
	switch e {
	case Read:
		return "read"
	case Write:
		return "write"
	case Read | Write:
		return "read|write"
	case 0:
		return "none"
	}
	return fmt.Sprintf("Events(%#x)", uint8(e))
}

// An Event is one ready descriptor and what it is ready for.
type Event struct {
	FD     int
	Events Events
}

// A Poller watches descriptors for readiness. Its methods must be called
// from one goroutine at a time; Waker is how another goroutine wakes a
// Wait.
type Poller interface {
	// Add starts watching fd for ev, which must not be empty.
	Add(fd int, ev Events) error
	// Modify changes what fd is watched for.
	Modify(fd int, ev Events) error
	// Remove stops watching fd. Call it before closing fd: a closed
	// descriptor's number is reused by the next socket or accept.
	Remove(fd int) error
	// Wait blocks until a watched descriptor is ready or timeout has
	// passed (negative: no limit; zero: do not block), appends the ready
	// descriptors to ready and returns it. An error or hang-up on a
	// descriptor is reported as Read|Write, whatever it is watched for,
	// so that the caller's next read or write meets it. A signal does not
	// end the wait early.
	Wait(ready []Event, timeout time.Duration) ([]Event, error)
	// Name names the mechanism: "select", "poll", "epoll" or "kqueue".
	Name() string
	// Close releases the poller's own descriptor, if it has one; the
	// watched descriptors stay open.
	Close() error
}

// Names lists the mechanisms, in the order the cheat sheet introduces
// them.
var Names = [...]string{"select", "poll", "epoll", "kqueue"}

// New returns the Poller named name: "select", "poll", "epoll" or
// "kqueue", or "" for Default. A mechanism this system lacks is an error
// matching errors.ErrUnsupported.
func New(name string) (Poller, error) {
	switch name {
	case "":
		return Default()
	case "select":
		return NewSelect(), nil
	case "poll":
		return NewPoll(), nil
	case "epoll":
		return NewEpoll()
	case "kqueue":
		return NewKqueue()
	}
	return nil, fmt.Errorf("poller: unknown mechanism %q (want select, poll, epoll or kqueue)", name)
}

// Available returns nil when the mechanism name works on this system, and
// otherwise the error New would return, without opening anything.
func Available(name string) error {
	switch name {
	case "", "select", "poll":
		return nil
	case "epoll":
		if haveEpoll {
			return nil
		}
	case "kqueue":
		if haveKqueue {
			return nil
		}
	default:
		_, err := New(name)
		return err
	}
	return unsupported(name)
}

func unsupported(name string) error {
	return fmt.Errorf("poller: %s is not supported on %s: %w", name, runtime.GOOS, errors.ErrUnsupported)
}

// ErrDescriptorTooLarge reports a descriptor that select cannot watch: an
// fd_set is a bitmap of FD_SETSIZE bits, and setting a higher bit would
// write past its end.
var ErrDescriptorTooLarge = fmt.Errorf("descriptor is not below FD_SETSIZE (%d); use poll or epoll", unix.FD_SETSIZE)

// CheckSelectable returns an error matching ErrDescriptorTooLarge when fd
// cannot be watched with select.
func CheckSelectable(fd int) error {
	if fd >= unix.FD_SETSIZE {
		return fmt.Errorf("descriptor %d: %w", fd, ErrDescriptorTooLarge)
	}
	return nil
}

// An Error is a failed poller operation, in the manner of *net.OpError:
// what was done, with which mechanism, on which descriptor, and why.
type Error struct {
	Op        string // "add", "modify", "remove", "wait" or "open"
	Mechanism string // "select", "poll", "epoll" or "kqueue"
	FD        int    // the descriptor, or -1 for a wait or an open
	Err       error  // an *os.SyscallError for a failed system call
}

func (e *Error) Error() string {
	if e.FD < 0 {
		return fmt.Sprintf("poller: %s %s: %v", e.Mechanism, e.Op, e.Err)
	}
	return fmt.Sprintf("poller: %s %s descriptor %d: %v", e.Mechanism, e.Op, e.FD, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// check is the argument check of every mechanism's Add and Modify.
func check(mech, op string, fd int, ev Events) error {
	switch {
	case fd < 0:
		return &Error{op, mech, fd, errors.New("negative descriptor")}
	case ev == 0 || ev&^(Read|Write) != 0:
		return &Error{op, mech, fd, fmt.Errorf("invalid events %v", ev)}
	}
	return nil
}

// Errors for a descriptor added twice, or modified or removed without
// being added, wrapped in an *Error. epoll and kqueue report these
// through the kernel's EEXIST and ENOENT instead.
var (
	ErrWatched    = errors.New("already watched")
	ErrNotWatched = errors.New("not watched")
)

// millis converts a timeout to poll and epoll_wait's milliseconds, rounding
// up so that a short timeout does not spin.
func millis(d time.Duration) int {
	if d < 0 {
		return -1
	}
	return int((d + time.Millisecond - 1) / time.Millisecond)
}

// retryEINTR makes a mechanism's waiting system call, named call, as
// sys(left), left being what is left of timeout (negative: no limit). A
// signal interrupts the call with EINTR; it is then made again with the
// time left, so that the caller's timeout is neither cut short nor
// stretched. Any other failure comes back as the mechanism's wait *Error.
func retryEINTR(mech, call string, timeout time.Duration, sys func(left time.Duration) (int, error)) (int, error) {
	var end time.Time
	if timeout >= 0 {
		end = time.Now().Add(timeout)
	}
	left := timeout
	for {
		n, err := sys(left)
		switch {
		case err == nil:
			return n, nil
		case !errors.Is(err, unix.EINTR):
			return 0, &Error{"wait", mech, -1, os.NewSyscallError(call, err)}
		case timeout >= 0:
			left = max(time.Until(end), 0)
		}
	}
}
