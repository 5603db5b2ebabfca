package eventloop

import (
	"context"
	"errors"
	"net"
	"time"

	"github.com/sockbook/sockbook/pkg/poller"
	"golang.org/x/sys/unix"
)

// loop is one run of a Server: the poller it waits with, the clients by
// descriptor, and the steps of the loop. Whatever the mechanism, a round
// is the same: wait, then for each ready descriptor accept (the listener),
// echo (a client) or begin the shutdown (the Waker).
type loop struct {
	s    *Server
	ctx  context.Context
	p    poller.Poller
	wake *poller.Waker
	ln   net.Listener
	lnfd int // ln's descriptor, duplicated; -1 once closed

	// conns holds the clients by descriptor. The kernel hands out the
	// lowest free numbers, so a slice indexed by descriptor stays about
	// as long as the number of clients, and costs a pointer per client
	// where a map would cost a bucket slot and its overhead.
	conns      []*Conn
	open       int            // clients in conns
	buf        []byte         // scratch for reads; the loop is one goroutine, so one buffer serves all
	ready      []poller.Event // what the last wait returned, kept to reuse its array
	acceptor   acceptor       // where accept4 writes the clients' addresses
	maxPending int
	drain      time.Duration
	stopping   bool      // ctx has ended: no accepting or reading
	deadline   time.Time // when stopping, the end of the drain
}

// newLoop opens what a run needs: a duplicate of ln's descriptor, the
// poller, and the Waker, both watched. On error everything, ln too, is
// closed.
func (s *Server) newLoop(ctx context.Context, ln net.Listener) (*loop, error) {
	l := &loop{s: s, ctx: ctx, ln: ln, lnfd: -1, buf: make([]byte, 32<<10),
		maxPending: orDefault(s.MaxPending, DefaultMaxPending),
		drain:      time.Duration(orDefault(int64(s.DrainTimeout), int64(DefaultDrainTimeout)))}
	var err error
	if l.lnfd, err = ListenerFD(ln); err != nil {
		ln.Close()
		return nil, err
	}
	if l.p, err = poller.New(string(s.Mechanism)); err == nil {
		if l.wake, err = poller.NewWaker(); err == nil {
			err = errors.Join(l.p.Add(l.wake.FD(), poller.Read), l.p.Add(l.lnfd, poller.Read))
		}
	}
	if err != nil {
		l.shutdown()
		return nil, err
	}
	return l, nil
}

// run is the event loop.
func (l *loop) run() error {
	for {
		var err error
		l.ready, err = l.p.Wait(l.ready[:0], l.timeout())
		if err != nil {
			return err
		}
		for _, ev := range l.ready {
			// Clients first: they are nearly every event.
			switch c := l.conn(ev.FD); {
			case c != nil:
				l.service(c, ev.Events)
			case ev.FD == l.wake.FD():
				l.wakeup()
			case ev.FD == l.lnfd:
				l.accept()
			}
			// Anything else is a client closed earlier in this batch. Its
			// number may also have been reused by an accept in this batch;
			// then a stale event reaches the new client, which is
			// harmless: its read or write finds EAGAIN.
		}
		if l.finished() {
			return nil
		}
	}
}

// conn returns the client on descriptor fd, or nil.
func (l *loop) conn(fd int) *Conn {
	if fd < 0 || fd >= len(l.conns) {
		return nil
	}
	return l.conns[fd]
}

// accept takes every pending connection. A client the poller cannot
// watch (select, with a descriptor too large for an fd_set) is closed and
// counted.
func (l *loop) accept() {
	for l.lnfd >= 0 {
		fd, peer, err := l.acceptor.accept(l.lnfd)
		switch {
		case errors.Is(err, unix.EINTR), errors.Is(err, unix.ECONNABORTED):
			// A signal, or a client that reset before we got to it.
			continue
		case errors.Is(err, unix.EAGAIN):
			return
		case err != nil:
			// EMFILE and friends: the client stays queued and the
			// listener stays readable; it is retried on the next wait.
			l.s.logError("accept failed", &net.OpError{Op: "accept", Net: "tcp", Addr: l.ln.Addr(), Err: err})
			return
		}
		c := newConn(fd, peer, l.maxPending)
		if err := l.p.Add(fd, poller.Read); err != nil {
			l.s.refused.Add(1)
			l.s.logClient("refused", c, err.Error())
			c.Close()
			continue
		}
		c.armed = poller.Read
		if fd >= len(l.conns) {
			l.conns = append(l.conns, make([]*Conn, fd+1-len(l.conns))...)
		}
		l.conns[fd] = c
		l.open++
		l.s.accepted.Add(1)
		l.s.open.Add(1)
		l.s.logClient("accepted", c, "")
	}
}

// service does the I/O a ready client allows: read if it is readable and
// may be read from, echoing at once what the socket takes (it is usually
// writable, and this saves a wait and a copy), then, if it is writable,
// write what is pending. Then it closes the client if it is done or
// failed, or tells the poller what to wait for next.
func (l *loop) service(c *Conn, ev poller.Events) {
	var err error
	if ev&poller.Read != 0 && c.WantRead() {
		_, err = c.echo(l.buf)
		if p := int64(c.Pending()); p > l.s.maxPending.Load() {
			l.s.maxPending.Store(p) // only loop goroutines store, and a race only loses a peak
		}
		if err == nil && !c.WantRead() && !c.Done() && c.Pending() >= l.maxPending {
			l.s.pauses.Add(1)
		}
	}
	if err == nil && ev&poller.Write != 0 && c.WantWrite() {
		_, err = c.Flush()
	}
	switch {
	case err != nil:
		l.close(c, err.Error())
	case c.Done():
		l.close(c, "done")
	default:
		l.rearm(c)
	}
}

// rearm tells the poller when what c waits for has changed. A client that
// is not done always waits for something.
func (l *loop) rearm(c *Conn) {
	var want poller.Events
	if c.WantRead() {
		want |= poller.Read
	}
	if c.WantWrite() {
		want |= poller.Write
	}
	if want == c.armed {
		return
	}
	if err := l.p.Modify(c.FD(), want); err != nil {
		l.close(c, err.Error())
		return
	}
	c.armed = want
}

func (l *loop) close(c *Conn, why string) {
	if err := l.p.Remove(c.FD()); err != nil {
		l.s.logError("unwatch client", err)
	}
	l.conns[c.FD()] = nil
	l.open--
	l.s.open.Add(-1)
	l.s.logClient("closed", c, why)
	if err := c.Close(); err != nil {
		l.s.logError("close client", err)
	}
}

// wakeup handles the Waker's descriptor turning readable. Only a context
// that ended wakes the loop, but the check costs nothing.
func (l *loop) wakeup() {
	l.wake.Drain()
	if l.stopping || l.ctx.Err() == nil {
		return
	}
	l.stopping = true
	l.deadline = time.Now().Add(l.drain)
	if err := l.closeListener(); err != nil {
		l.s.logError("close listener", err)
	}
	for _, c := range l.conns {
		if c == nil {
			continue
		}
		c.StopReading()
		if c.Done() {
			l.close(c, "server stopping")
		} else {
			l.rearm(c)
		}
	}
}

// closeListener stops watching and closes the listener: the duplicate
// first, then ln itself, which closes the socket.
func (l *loop) closeListener() error {
	if l.lnfd < 0 {
		return nil
	}
	var err error
	if l.p != nil {
		err = l.p.Remove(l.lnfd)
	}
	err = errors.Join(err, unix.Close(l.lnfd), l.ln.Close())
	l.lnfd = -1
	return err
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

// shutdown closes what is left when the loop returns: the clients, the
// listener, the Waker and the poller.
func (l *loop) shutdown() error {
	for _, c := range l.conns {
		if c != nil {
			l.close(c, "server stopped")
		}
	}
	err := l.closeListener()
	if l.wake != nil {
		if l.p != nil {
			l.p.Remove(l.wake.FD())
		}
		err = errors.Join(err, l.wake.Close())
	}
	if l.p != nil {
		err = errors.Join(err, l.p.Close())
	}
	return err
}

// orDefault returns v, or def when v is zero or negative.
func orDefault[T int | int64](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}
