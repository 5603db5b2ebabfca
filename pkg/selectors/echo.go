package selectors

import (
	"context"
	"net"

	"github.com/sockbook/sockbook/pkg/eventloop"
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
	loop  // the listener, the Waker, Serve's loop and the counters
	conns map[int]*eventloop.Conn
}

// NewEchoServer listens on addr ("localhost:5566"; port 0 picks a free
// one) for an echo server driven by sel, which it takes over and closes.
// A nil sel means NewDefaultSelector; a nil cfg, the defaults.
func NewEchoServer(addr string, sel Selector, cfg *eventloop.Config) (*EchoServer, error) {
	s := &EchoServer{conns: map[int]*eventloop.Conn{}}
	if err := s.listen("echo server", addr, sel, cfg, s.accept, s.wakeup); err != nil {
		return nil, err
	}
	return s, nil
}

// Serve runs the loop until ctx ends, then stops accepting and reading,
// writes what it already read for up to the drain timeout, closes every
// descriptor and the Selector, and returns nil. It may be called once.
func (s *EchoServer) Serve(ctx context.Context) error {
	return s.run(ctx, func() {
		for _, c := range s.conns {
			s.drop(c, "server stopped")
		}
	})
}

// accept is the listener's handler, the cheat sheet's accept_handler:
// each new client is registered with a handler of its own.
func (s *EchoServer) accept(Events) {
	s.acceptEach(func(fd int, peer net.Addr) error {
		c := eventloop.NewConn(fd, peer.String(), s.cfg.MaxPending)
		if _, err := s.sel.Register(fd, EventRead, Handler(func(ev Events) { s.serve(c, ev) })); err != nil {
			return err
		}
		s.conns[fd] = c
		return nil
	})
}

// serve is a client's handler, the cheat sheet's read_handler: read,
// echo, and tell the Selector what to wait for next.
func (s *EchoServer) serve(c *eventloop.Conn, ev Events) {
	var err error
	n := 0
	if ev&EventRead != 0 && c.WantRead() {
		n, err = c.Read(s.buf)
		s.noteBacklog(c.Pending())
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
	s.closed(c.Peer(), why)
	c.Close()
}

// wakeup runs when the context ends: stop accepting and reading, and let
// the loop drain what clients are owed.
func (s *EchoServer) wakeup(Events) {
	s.wake.Drain()
	if !s.beginStop() {
		return
	}
	for _, c := range s.conns {
		c.StopReading()
		if c.Done() {
			s.drop(c, "server stopping")
		} else {
			s.rearm(c)
		}
	}
}
