package selectors

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync/atomic"
	"time"

	"github.com/sockbook/sockbook/pkg/eventloop"
	"golang.org/x/sys/unix"
)

// A Handler is what EchoServer attaches to each key as its data: the code
// to run when that descriptor is ready, as the cheat sheet's handlers
// (accept_handler, read_handler) are.
type Handler func(ready Events)

// EchoServer is the selectors recipe: an echo server on a Selector whose
// loop does nothing but call the Handler each ready key carries. Each
// client is an eventloop.Conn, so partial writes, slow readers and
// shutdown are handled as in package eventloop.
type EchoServer struct {
	sel   Selector
	cfg   eventloop.Config
	ln    int
	addr  *net.TCPAddr
	wake  *eventloop.Waker
	buf   []byte
	conns map[int]*eventloop.Conn

	ctx      context.Context
	stopping bool
	deadline time.Time
	serving  atomic.Bool

	accepted, open, pauses, maxPending atomic.Int64
}

// NewEchoServer listens on addr ("localhost:5566"; port 0 picks a free
// one) for an echo server driven by sel, which it takes over and closes.
// A nil sel means NewDefaultSelector; a nil cfg, the defaults.
func NewEchoServer(addr string, sel Selector, cfg *eventloop.Config) (*EchoServer, error) {
	s := &EchoServer{sel: sel, ln: -1, conns: map[int]*eventloop.Conn{}, buf: make([]byte, 32<<10)}
	if cfg != nil {
		s.cfg = *cfg
	}
	if s.cfg.MaxPending <= 0 {
		s.cfg.MaxPending = eventloop.DefaultMaxPending
	}
	if s.cfg.DrainTimeout <= 0 {
		s.cfg.DrainTimeout = eventloop.DefaultDrainTimeout
	}
	var err error
	if s.sel == nil {
		if s.sel, err = NewDefaultSelector(); err != nil {
			return nil, err
		}
	}
	if s.ln, s.addr, err = eventloop.ListenTCP(addr); err != nil {
		s.sel.Close()
		return nil, err
	}
	if s.wake, err = eventloop.NewWaker(); err == nil {
		_, err = s.sel.Register(s.ln, EventRead, Handler(s.accept))
	}
	if err == nil {
		_, err = s.sel.Register(s.wake.FD(), EventRead, Handler(s.wakeup))
	}
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("echo server on %s: %w", addr, err)
	}
	return s, nil
}

// Addr returns the address the server listens on.
func (s *EchoServer) Addr() net.Addr { return s.addr }

// Stats returns the server's counters. It may be called from any goroutine.
func (s *EchoServer) Stats() eventloop.Stats {
	return eventloop.Stats{
		Accepted:   s.accepted.Load(),
		Open:       s.open.Load(),
		ReadPauses: s.pauses.Load(),
		MaxPending: s.maxPending.Load(),
	}
}

// Serve runs the loop until ctx ends, then stops accepting and reading,
// writes what it already read for up to the drain timeout, closes every
// descriptor and the Selector, and returns nil. It may be called once.
func (s *EchoServer) Serve(ctx context.Context) error {
	if !s.serving.CompareAndSwap(false, true) {
		return fmt.Errorf("echo server on %s: Serve called twice", s.addr)
	}
	s.ctx = ctx
	stop := context.AfterFunc(ctx, s.wake.Wake)
	err := s.loop()
	stop()
	for _, c := range s.conns {
		s.drop(c, "server stopped")
	}
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	return err
}

// loop is the cheat sheet's "for key, mask in sel.select(): key.data(...)".
func (s *EchoServer) loop() error {
	for !s.stopping || (len(s.conns) > 0 && time.Now().Before(s.deadline)) {
		timeout := time.Duration(-1)
		if s.stopping {
			timeout = max(time.Until(s.deadline), 0)
		}
		ready, err := s.sel.Select(timeout)
		if err != nil {
			return fmt.Errorf("echo server on %s: %w", s.addr, err)
		}
		for _, r := range ready {
			// A handler may have unregistered a later key of this batch.
			if k, err := s.sel.Key(r.Key.FD); err == nil && k == r.Key {
				r.Key.Data.(Handler)(r.Events)
			}
		}
	}
	return nil
}

// Close closes the listener, the wakeup descriptor and the Selector. Serve
// does this itself; call Close for a server that is not served.
func (s *EchoServer) Close() error {
	var errs []error
	if s.ln >= 0 {
		s.sel.Unregister(s.ln)
		errs = append(errs, unix.Close(s.ln))
		s.ln = -1
	}
	if s.wake != nil {
		s.sel.Unregister(s.wake.FD())
		errs = append(errs, s.wake.Close())
		s.wake = nil
	}
	errs = append(errs, s.sel.Close())
	return errors.Join(errs...)
}

func (s *EchoServer) accept(Events) {
	for {
		fd, peer, err := eventloop.Accept(s.ln)
		if errors.Is(err, unix.EAGAIN) {
			return
		}
		if err != nil {
			s.logf("%v", err)
			return
		}
		c := eventloop.NewConn(fd, peer.String(), s.cfg.MaxPending)
		if _, err := s.sel.Register(fd, EventRead, Handler(func(ev Events) { s.serve(c, ev) })); err != nil {
			s.logf("refused %s: %v", c.Peer(), err)
			c.Close()
			continue
		}
		s.conns[fd] = c
		s.accepted.Add(1)
		s.open.Add(1)
		s.logf("accepted %s", c.Peer())
	}
}

// serve is a client's handler: read, echo, and tell the Selector what to
// wait for next.
func (s *EchoServer) serve(c *eventloop.Conn, ev Events) {
	var err error
	n := 0
	if ev&EventRead != 0 && c.WantRead() {
		n, err = c.Read(s.buf)
		if p := int64(c.Pending()); p > s.maxPending.Load() {
			s.maxPending.Store(p)
		}
		if err == nil && c.Pending() >= s.cfg.MaxPending {
			s.pauses.Add(1)
		}
	}
	if err == nil && (ev&EventWrite != 0 || n > 0) && c.WantWrite() {
		_, err = c.Flush()
	}
	switch {
	case err != nil:
		s.drop(c, err.Error())
	case c.Done():
		s.drop(c, "done")
	default:
		s.rearm(c)
	}
}

func (s *EchoServer) rearm(c *eventloop.Conn) {
	var want Events
	if c.WantRead() {
		want |= EventRead
	}
	if c.WantWrite() {
		want |= EventWrite
	}
	k, err := s.sel.Key(c.FD())
	if err == nil && k.Events != want {
		_, err = s.sel.Modify(c.FD(), want, k.Data)
	}
	if err != nil {
		s.drop(c, err.Error())
	}
}

func (s *EchoServer) drop(c *eventloop.Conn, why string) {
	if _, err := s.sel.Unregister(c.FD()); err != nil {
		s.logf("%v", err)
	}
	delete(s.conns, c.FD())
	s.open.Add(-1)
	s.logf("closed %s: %s", c.Peer(), why)
	c.Close()
}

// wakeup runs when the context ends: stop accepting and reading, and let
// the loop drain what clients are owed.
func (s *EchoServer) wakeup(Events) {
	s.wake.Drain()
	if s.stopping || s.ctx.Err() == nil {
		return
	}
	s.stopping = true
	s.deadline = time.Now().Add(s.cfg.DrainTimeout)
	s.sel.Unregister(s.ln)
	unix.Close(s.ln)
	s.ln = -1
	for _, c := range s.conns {
		c.StopReading()
		if c.Done() {
			s.drop(c, "server stopping")
		} else {
			s.rearm(c)
		}
	}
}

func (s *EchoServer) logf(format string, args ...any) {
	if s.cfg.Logger != nil {
		s.cfg.Logger.Printf(format, args...)
	}
}
