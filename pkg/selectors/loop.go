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

// loop is what EchoServer and TLSEchoServer share: a listening socket and
// a Waker registered with a Selector, the dispatch loop over the handlers
// the keys carry, the shutdown that closes the listener and then drains
// the clients, and the counters. What a server does with a client is its
// own: it supplies the handlers.
type loop struct {
	what string // "echo server", for messages
	sel  Selector
	cfg  eventloop.Config
	ln   int // the listening socket, -1 once closed
	addr *net.TCPAddr
	wake *eventloop.Waker
	buf  []byte // scratch for reads; the loop is one goroutine, so one buffer serves all

	ctx      context.Context
	stopping bool      // ctx has ended: no accepting, the clients drain
	deadline time.Time // when stopping, the end of the drain
	serving  atomic.Bool

	accepted, open, pauses, maxPending atomic.Int64
}

// listen sets s up for a server on addr driven by sel (nil: the default
// Selector), calling accept when a client waits on the listener and
// wakeup when the Waker fires. On error, everything is closed.
func (s *loop) listen(what, addr string, sel Selector, cfg *eventloop.Config, accept, wakeup Handler) error {
	s.what, s.sel, s.ln, s.buf = what, sel, -1, make([]byte, 32<<10)
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
			return err
		}
	}
	if s.ln, s.addr, err = eventloop.ListenTCP(addr); err != nil {
		s.sel.Close()
		return err
	}
	if s.wake, err = eventloop.NewWaker(); err == nil {
		_, err = s.sel.Register(s.ln, EventRead, accept)
	}
	if err == nil {
		_, err = s.sel.Register(s.wake.FD(), EventRead, wakeup)
	}
	if err != nil {
		s.Close()
		return fmt.Errorf("%s on %s: %w", what, addr, err)
	}
	return nil
}

// Addr returns the address the server listens on.
func (s *loop) Addr() net.Addr { return s.addr }

// Stats returns the server's counters. It may be called from any goroutine.
func (s *loop) Stats() eventloop.Stats {
	return eventloop.Stats{
		Accepted:   s.accepted.Load(),
		Open:       s.open.Load(),
		ReadPauses: s.pauses.Load(),
		MaxPending: s.maxPending.Load(),
	}
}

// Close closes the listener, the wakeup descriptor and the Selector. Serve
// does this itself; call Close for a server that is not served.
func (s *loop) Close() error {
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

// run is Serve's skeleton: dispatch until ctx has ended and the clients
// have drained or run out of time, then let the server close the clients
// left (closeClients), and close the rest.
func (s *loop) run(ctx context.Context, closeClients func()) error {
	if !s.serving.CompareAndSwap(false, true) {
		return fmt.Errorf("%s on %s: Serve called twice", s.what, s.addr)
	}
	s.ctx = ctx
	stop := context.AfterFunc(ctx, s.wake.Wake)
	err := s.dispatch()
	stop()
	closeClients()
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	return err
}

// dispatch is the cheat sheet's "for key, mask in sel.select():
// key.data(...)". open counts the clients still connected.
func (s *loop) dispatch() error {
	for !s.stopping || (s.open.Load() > 0 && time.Now().Before(s.deadline)) {
		timeout := time.Duration(-1)
		if s.stopping {
			timeout = max(time.Until(s.deadline), 0)
		}
		ready, err := s.sel.Select(timeout)
		if err != nil {
			return fmt.Errorf("%s on %s: %w", s.what, s.addr, err)
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

// acceptEach accepts every client waiting on the listener and hands each
// to add, which registers it; a client add refuses is closed.
func (s *loop) acceptEach(add func(fd int, peer net.Addr) error) {
	for {
		fd, peer, err := eventloop.Accept(s.ln)
		if errors.Is(err, unix.EAGAIN) {
			return
		}
		if err != nil {
			s.logf("%v", err)
			return
		}
		if err := add(fd, peer); err != nil {
			s.logf("refused %s: %v", peer, err)
			unix.Close(fd)
			continue
		}
		s.accepted.Add(1)
		s.open.Add(1)
		s.logf("accepted %s", peer)
	}
}

// closed counts and logs a client the server has closed.
func (s *loop) closed(peer, why string) {
	s.open.Add(-1)
	s.logf("closed %s: %s", peer, why)
}

// beginStop is for the wakeup handler: it reports whether the context has
// ended and the shutdown starts now. If so, the listener is closed and the
// drain deadline set; the server then tells its clients to finish.
func (s *loop) beginStop() bool {
	if s.stopping || s.ctx.Err() == nil {
		return false
	}
	s.stopping = true
	s.deadline = time.Now().Add(s.cfg.DrainTimeout)
	s.sel.Unregister(s.ln)
	unix.Close(s.ln)
	s.ln = -1
	return true
}

// noteBacklog records a client's backlog of n bytes for Stats. It may be
// called from any goroutine.
func (s *loop) noteBacklog(n int) {
	for {
		old := s.maxPending.Load()
		if int64(n) <= old || s.maxPending.CompareAndSwap(old, int64(n)) {
			return
		}
	}
}

func (s *loop) logf(format string, args ...any) {
	if s.cfg.Logger != nil {
		s.cfg.Logger.Printf(format, args...)
	}
}
