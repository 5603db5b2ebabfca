package eventloop

import (
	"context"
	"errors"
	"time"

	"golang.org/x/sys/unix"
)

// loop is the state and the steps every mechanism's loop shares: the
// clients by descriptor, what to do when the listener or a client is
// ready, and the shutdown. The mechanism files only say how to wait.
type loop struct {
	s   *Server
	ctx context.Context
	// conns holds the clients by descriptor. The kernel hands out the
	// lowest free numbers, so a slice indexed by descriptor stays about
	// as long as the number of clients, and costs a pointer per client
	// where a map would cost a bucket slot and its overhead.
	conns    []*Conn
	open     int          // clients in conns
	buf      []byte       // scratch for reads; the loop is one goroutine, so one buffer serves all
	acceptor acceptor     // where accept4 writes the clients' addresses
	stopping bool         // ctx has ended: no accepting or reading
	deadline time.Time    // when stopping, the end of the drain
	onClose  func(fd int) // the mechanism's cleanup for a client that closes, if any
}

func (s *Server) newLoop(ctx context.Context) *loop {
	return &loop{s: s, ctx: ctx, buf: make([]byte, 32<<10)}
}

// conn returns the client on descriptor fd, or nil.
func (l *loop) conn(fd int) *Conn {
	if fd < 0 || fd >= len(l.conns) {
		return nil
	}
	return l.conns[fd]
}

// add records the client c under its descriptor.
func (l *loop) add(c *Conn) {
	fd := c.FD()
	if fd >= len(l.conns) {
		l.conns = append(l.conns, make([]*Conn, fd+1-len(l.conns))...)
	}
	l.conns[fd] = c
	l.open++
}

// accept takes every pending connection. admit is the mechanism's chance
// to start watching one, or to refuse it (select with a descriptor too
// large for an fd_set); a refused client is closed and counted.
func (l *loop) accept(admit func(c *Conn) error) {
	for {
		ln := l.s.listener()
		if ln < 0 {
			return
		}
		fd, peer, err := l.acceptor.accept(ln)
		switch {
		case errors.Is(err, unix.EINTR), errors.Is(err, unix.ECONNABORTED):
			// A signal, or a client that reset before we got to it.
			continue
		case errors.Is(err, unix.EAGAIN):
			return
		case err != nil:
			// EMFILE and friends: the client stays queued and the
			// listener stays readable; it is retried on the next wait.
			l.s.logf("accept on descriptor %d: %v", ln, err)
			return
		}
		c := newConn(fd, peer, l.s.cfg.MaxPending)
		if err := admit(c); err != nil {
			l.s.refused.Add(1)
			l.s.logClient("refused", c, err.Error())
			c.Close()
			continue
		}
		l.add(c)
		l.s.accepted.Add(1)
		l.s.open.Add(1)
		l.s.logClient("accepted", c, "")
	}
}

// service does the I/O a ready client allows: read if it is readable and
// may be read from, echoing at once what the socket takes (it is usually
// writable, and this saves a wait and a copy), then, if it is writable,
// write what is pending. It closes the client when it is done or fails,
// and reports whether it is still open.
func (l *loop) service(c *Conn, readable, writable bool) bool {
	var err error
	if readable && c.WantRead() {
		_, err = c.echo(l.buf)
		if p := int64(c.Pending()); p > l.s.maxPending.Load() {
			l.s.maxPending.Store(p) // only the loop goroutine stores
		}
		if err == nil && !c.WantRead() && !c.Done() && c.Pending() >= l.s.cfg.MaxPending {
			l.s.pauses.Add(1)
		}
	}
	if err == nil && writable && c.WantWrite() {
		_, err = c.Flush()
	}
	switch {
	case err != nil:
		l.close(c, err.Error())
		return false
	case c.Done():
		l.close(c, "done")
		return false
	}
	return true
}

func (l *loop) close(c *Conn, why string) {
	l.conns[c.FD()] = nil
	l.open--
	if l.onClose != nil {
		l.onClose(c.FD())
	}
	l.s.open.Add(-1)
	l.s.logClient("closed", c, why)
	if err := c.Close(); err != nil {
		l.s.logf("%v", err)
	}
}

// wakeup handles the Waker's descriptor turning readable. Only a context
// that ended wakes the loop, but the check costs nothing.
func (l *loop) wakeup() {
	l.s.wake.Drain()
	if l.stopping || l.ctx.Err() == nil {
		return
	}
	l.stopping = true
	l.deadline = time.Now().Add(l.s.cfg.DrainTimeout)
	if err := l.s.closeListener(); err != nil {
		l.s.logf("close listener: %v", err)
	}
	for _, c := range l.conns {
		if c == nil {
			continue
		}
		c.StopReading()
		if c.Done() {
			l.close(c, "server stopping")
		}
	}
}

// finished reports whether a stopping loop may return: every client is
// drained, or the drain ran out of time.
func (l *loop) finished() bool {
	return l.stopping && (l.open == 0 || !time.Now().Before(l.deadline))
}

// timeout is how long the next wait may block: forever (negative) while
// serving, the rest of the drain while stopping.
func (l *loop) timeout() time.Duration {
	if !l.stopping {
		return -1
	}
	return max(time.Until(l.deadline), 0)
}

// closeAll closes the clients left when the loop returns.
func (l *loop) closeAll() {
	for _, c := range l.conns {
		if c != nil {
			l.close(c, "server stopped")
		}
	}
}

// millis converts a wait timeout to poll and epoll_wait's milliseconds,
// rounding up so that a short remaining drain does not spin.
func millis(d time.Duration) int {
	if d < 0 {
		return -1
	}
	return int((d + time.Millisecond - 1) / time.Millisecond)
}
