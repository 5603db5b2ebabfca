package poller

import (
	"errors"
	"os"
	"sync"

	"golang.org/x/sys/unix"
)

// A Waker is a descriptor that a Poller watches for readability so
// that another goroutine can interrupt its blocking wait: select, poll,
// epoll_wait and kevent all sleep until a watched descriptor is ready, and
// a context ending is not a descriptor. On Linux the Waker is an eventfd; on
// other systems it is the classic self-pipe.
//
// The alternative, waking every few milliseconds to check the context,
// costs wakeups while idle and delays shutdown by up to one period; a Waker
// costs one descriptor and wakes the loop at once.
type Waker struct {
	mu     sync.Mutex // orders Wake against Close, so Wake never writes to a reused descriptor
	r, w   int        // read and write ends; the same eventfd on Linux
	closed bool
}

// NewWaker returns a Waker whose descriptors are non-blocking and
// close-on-exec.
func NewWaker() (*Waker, error) {
	r, w, err := newWakeFDs()
	if err != nil {
		return nil, err
	}
	return &Waker{r: r, w: w}, nil
}

// FD returns the descriptor to watch for readability.
func (w *Waker) FD() int { return w.r }

// Wake makes FD readable. It may be called from any goroutine, any number
// of times, also after Close (when it does nothing).
func (w *Waker) Wake() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return
	}
	// EAGAIN means a wakeup is already pending, which is all we need.
	_ = signalWakeFD(w.w)
}

// Drain consumes pending wakeups, so FD stops being readable until the
// next Wake. Only the loop that watches FD calls it.
func (w *Waker) Drain() {
	var buf [64]byte
	for {
		_, err := unix.Read(w.r, buf[:])
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil || !drainAgain {
			return
		}
	}
}

// Close closes the Waker's descriptors. Wakes that race with it are
// harmless.
func (w *Waker) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil
	}
	w.closed = true
	err := unix.Close(w.r)
	if w.w != w.r {
		err = errors.Join(err, unix.Close(w.w))
	}
	return os.NewSyscallError("close", err)
}
