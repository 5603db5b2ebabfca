package eventloop

import (
	"context"
	"errors"
	"fmt"
	"time"

	"golang.org/x/sys/unix"
)

// serveSelect is the select-server recipe. Each round builds two fd_sets
// from scratch: every client that may be read from goes in the read set,
// every client with pending output in the write set. select(2) overwrites
// the sets with the ready subset, and the loop scans them.
//
// select is the oldest and most portable mechanism, and the most limited:
// the kernel scans every descriptor up to the highest one on every call,
// and an fd_set has room only for descriptors below FD_SETSIZE (1024), so
// a busy server that opens more than that must use poll, epoll or kqueue.
// This loop refuses such clients instead of corrupting memory.
func (s *Server) serveSelect(ctx context.Context) error {
	l := s.newLoop(ctx)
	defer l.closeAll()
	wake := s.wake.FD()
	for {
		var rset, wset unix.FdSet
		nfd := 0
		watch := func(set *unix.FdSet, fd int) {
			set.Set(fd)
			nfd = max(nfd, fd+1)
		}
		watch(&rset, wake)
		if ln := s.listener(); ln >= 0 {
			watch(&rset, ln)
		}
		for fd, c := range l.conns {
			if c == nil {
				continue
			}
			if c.WantRead() {
				watch(&rset, fd)
			}
			if c.WantWrite() {
				watch(&wset, fd)
			}
		}

		_, err := unix.Select(nfd, &rset, &wset, nil, timeval(l.timeout()))
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return fmt.Errorf("select: %w", err)
		}

		if rset.IsSet(wake) {
			l.wakeup()
		}
		if ln := s.listener(); ln >= 0 && rset.IsSet(ln) {
			l.accept(func(c *Conn) error { return CheckSelectable(c.FD()) })
		}
		for fd, c := range l.conns {
			if c == nil {
				continue
			}
			// Clients accepted just now are in neither set, and their
			// descriptors cannot be in one from before: a closed
			// client's number is only reused by a later accept.
			r, w := rset.IsSet(fd), wset.IsSet(fd)
			if r || w {
				l.service(c, r, w)
			}
		}
		if l.finished() {
			return nil
		}
	}
}

// CheckSelectable returns an error matching ErrDescriptorTooLarge when fd
// cannot be watched with select because an fd_set has no bit for it.
func CheckSelectable(fd int) error {
	if fd >= unix.FD_SETSIZE {
		return fmt.Errorf("descriptor %d: %w", fd, ErrDescriptorTooLarge)
	}
	return nil
}

// timeval converts a wait timeout to select's: nil blocks.
func timeval(d time.Duration) *unix.Timeval {
	if d < 0 {
		return nil
	}
	tv := unix.NsecToTimeval(d.Nanoseconds())
	return &tv
}
