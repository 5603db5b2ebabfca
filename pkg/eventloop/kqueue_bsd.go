//go:build darwin || freebsd || netbsd || openbsd || dragonfly

package eventloop

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

const haveKqueue = true

// Interest bits kept in Conn.armed by the kqueue loop.
const (
	kqRead = 1 << iota
	kqWrite
)

// serveKqueue is the kqueue-server recipe. kqueue keeps its interest list
// in the kernel like epoll, but as separate filters: a descriptor can have
// an EVFILT_READ and an EVFILT_WRITE registration, each added and deleted
// on its own. Changes are not separate system calls: they queue up in a
// changelist that the next kevent(2) applies before it waits, so one call
// both updates the interest and collects ready events. This is what Go's
// network poller uses on macOS and the BSDs.
func (s *Server) serveKqueue(ctx context.Context) error {
	kq, err := kqueue()
	if err != nil {
		return err
	}
	defer unix.Close(kq)
	l := s.newLoop(ctx)
	defer l.closeAll()

	var changes []unix.Kevent_t
	change := func(fd, filter, flags int) {
		var ev unix.Kevent_t
		unix.SetKevent(&ev, fd, filter, flags)
		changes = append(changes, ev)
	}
	// rearm queues the changes that make the kernel's filters for c match
	// what c waits for now.
	rearm := func(c *Conn) error {
		var want int16
		if c.WantRead() {
			want |= kqRead
		}
		if c.WantWrite() {
			want |= kqWrite
		}
		for _, f := range []struct {
			bit    int16
			filter int
		}{{kqRead, unix.EVFILT_READ}, {kqWrite, unix.EVFILT_WRITE}} {
			switch {
			case want&f.bit != 0 && c.armed&f.bit == 0:
				change(c.FD(), f.filter, unix.EV_ADD)
			case want&f.bit == 0 && c.armed&f.bit != 0:
				change(c.FD(), f.filter, unix.EV_DELETE)
			}
		}
		c.armed = want
		return nil
	}
	// A client that closes drops its queued changes: closing already
	// removed its filters, and its number may be reused.
	l.onClose = func(fd int) {
		changes = slices.DeleteFunc(changes, func(ev unix.Kevent_t) bool { return int(ev.Ident) == fd })
	}

	wake, ln := s.wake.FD(), s.listener()
	change(wake, unix.EVFILT_READ, unix.EV_ADD)
	change(ln, unix.EVFILT_READ, unix.EV_ADD)

	events := make([]unix.Kevent_t, 256)
	for {
		n, err := unix.Kevent(kq, changes, events, timespec(l.timeout()))
		// kevent applies the whole changelist before it waits, even when
		// the wait is then interrupted.
		changes = changes[:0]
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return fmt.Errorf("kevent: %w", err)
		}
		for _, ev := range events[:n] {
			fd := int(ev.Ident)
			if ev.Flags&unix.EV_ERROR != 0 {
				// A change that failed comes back as an event whose Data
				// is the errno. For a client, that ends it.
				err := fmt.Errorf("kevent change for descriptor %d: %w", fd, syscall.Errno(ev.Data))
				if c := l.conn(fd); c != nil {
					l.close(c, err.Error())
				} else {
					l.s.logf("%v", err)
				}
				continue
			}
			switch {
			case fd == wake:
				l.wakeup()
				for _, c := range l.conns {
					if c != nil {
						_ = rearm(c)
					}
				}
			case fd == s.listener():
				l.accept(rearm)
			default:
				c := l.conn(fd)
				if c == nil {
					continue // closed earlier in this batch
				}
				// EV_EOF: the client shut down its side (read filter) or
				// can no longer take data (write filter); reading or
				// writing turns it into EOF or an error.
				eof := ev.Flags&unix.EV_EOF != 0
				read := int(ev.Filter) == unix.EVFILT_READ
				write := int(ev.Filter) == unix.EVFILT_WRITE
				if l.service(c, read || eof, write || eof) {
					_ = rearm(c)
				}
			}
		}
		if l.finished() {
			return nil
		}
	}
}

func kqueue() (int, error) {
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	kq, err := unix.Kqueue()
	if err != nil {
		return -1, fmt.Errorf("kqueue: %w", err)
	}
	unix.CloseOnExec(kq)
	return kq, nil
}

// timespec converts a wait timeout to kevent's: nil blocks.
func timespec(d time.Duration) *unix.Timespec {
	if d < 0 {
		return nil
	}
	ts := unix.NsecToTimespec(d.Nanoseconds())
	return &ts
}
