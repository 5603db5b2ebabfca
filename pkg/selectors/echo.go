package selectors

import (
	"context"
	"log/slog"
	"net"
	"time"

	"github.com/sockbook/sockbook/pkg/eventloop"
)

// A Handler is what EchoServer attaches to each key as its data: the code
// to run when that descriptor is ready, as the cheat sheet's handlers
// (accept_handler, read_handler) are.
type Handler func(ready Events)

// EchoServer is the selectors recipe: an echo server on a Selector whose
// loop does nothing but call the Handler each ready key carries. Each
// client is an eventloop.Conn, so partial writes, slow readers and
// shutdown are handled as in package eventloop. Its zero value is ready
// to use.
type EchoServer struct {
	// NewSelector makes the Selector each Serve runs on, which Serve
	// closes. Nil means NewDefaultSelector.
	NewSelector func() (Selector, error)

	// MaxPending caps what a client has sent and not yet had back;
	// reading from it pauses meanwhile. Zero means
	// eventloop.DefaultMaxPending.
	MaxPending int

	// DrainTimeout bounds the writing of what is owed once the context
	// ends. Zero means eventloop.DefaultDrainTimeout.
	DrainTimeout time.Duration

	// Logger gets a line per client that comes and goes. Nil discards.
	Logger *slog.Logger

	counters
}

// Serve echoes every client ln accepts until ctx ends; then, as every
// sockbook server does (see package socketserver), it closes ln, writes
// what it already read for up to DrainTimeout, closes every client and the
// Selector, and returns nil. Serve takes ownership of ln.
func (s *EchoServer) Serve(ctx context.Context, ln net.Listener) error {
	r := &echoRun{conns: map[int]*eventloop.Conn{}}
	r.config = newConfig(s.NewSelector, s.MaxPending, s.DrainTimeout, s.Logger, &s.counters)
	return r.run(ctx, ln, r.accept, r.wakeup, func() {
		for _, c := range r.conns {
			r.drop(c, "server stopped")
		}
	})
}

// echoRun is one Serve of an EchoServer.
type echoRun struct {
	loop
	conns map[int]*eventloop.Conn
}

// accept is the listener's handler, the cheat sheet's accept_handler:
// each new client is registered with a handler of its own.
func (r *echoRun) accept(Events) {
	r.acceptEach(func(fd int, peer net.Addr) error {
		c := eventloop.NewConn(fd, peer.String(), r.maxPending)
		if _, err := r.sel.Register(fd, EventRead, Handler(func(ev Events) { r.serve(c, ev) })); err != nil {
			return err
		}
		r.conns[fd] = c
		return nil
	})
}

// serve is a client's handler, the cheat sheet's read_handler: read,
// echo, and tell the Selector what to wait for next.
func (r *echoRun) serve(c *eventloop.Conn, ev Events) {
	var err error
	n := 0
	if ev&EventRead != 0 && c.WantRead() {
		n, err = c.Read(r.buf)
		r.counters.noteBacklog(c.Pending())
		if err == nil && c.Pending() >= r.maxPending {
			r.counters.pauses.Add(1)
		}
	}
	if err == nil && (ev&EventWrite != 0 || n > 0) && c.WantWrite() {
		_, err = c.Flush()
	}
	switch {
	case err != nil:
		r.drop(c, err.Error())
	case c.Done():
		r.drop(c, "done")
	default:
		r.rearm(c)
	}
}

func (r *echoRun) rearm(c *eventloop.Conn) {
	var want Events
	if c.WantRead() {
		want |= EventRead
	}
	if c.WantWrite() {
		want |= EventWrite
	}
	k, err := r.sel.Key(c.FD())
	if err == nil && k.Events != want {
		_, err = r.sel.Modify(c.FD(), want, k.Data)
	}
	if err != nil {
		r.drop(c, err.Error())
	}
}

func (r *echoRun) drop(c *eventloop.Conn, why string) {
	if _, err := r.sel.Unregister(c.FD()); err != nil {
		r.logf("unregister failed", "err", err)
	}
	delete(r.conns, c.FD())
	r.closed(c.Peer(), why)
	c.Close()
}

// wakeup runs when the context ends: stop accepting and reading, and let
// the loop drain what clients are owed.
func (r *echoRun) wakeup(Events) {
	r.wake.Drain()
	if !r.beginStop() {
		return
	}
	for _, c := range r.conns {
		c.StopReading()
		if c.Done() {
			r.drop(c, "server stopping")
		} else {
			r.rearm(c)
		}
	}
}
