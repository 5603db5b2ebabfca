package selectors

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"sync/atomic"
	"time"

	"github.com/sockbook/sockbook/pkg/eventloop"
	"github.com/sockbook/sockbook/pkg/poller"
	"golang.org/x/sys/unix"
)

// config is what EchoServer and TLSEchoServer are configured with, read
// from their fields when Serve starts.
type config struct {
	newSelector func() (Selector, error)
	maxPending  int
	drain       time.Duration
	log         *slog.Logger // nil discards
	counters    *counters
}

func newConfig(newSel func() (Selector, error), maxPending int, drain time.Duration, log *slog.Logger, c *counters) config {
	if newSel == nil {
		newSel = NewDefaultSelector
	}
	if maxPending <= 0 {
		maxPending = eventloop.DefaultMaxPending
	}
	if drain <= 0 {
		drain = eventloop.DefaultDrainTimeout
	}
	return config{newSel, maxPending, drain, log, c}
}

// counters are a server's Stats, kept across its Serve calls.
type counters struct {
	accepted, open, pauses, maxPending atomic.Int64
}

// Stats returns the server's counters. It may be called from any goroutine.
func (c *counters) Stats() eventloop.Stats {
	return eventloop.Stats{
		Accepted:   c.accepted.Load(),
		Open:       c.open.Load(),
		ReadPauses: c.pauses.Load(),
		MaxPending: c.maxPending.Load(),
	}
}

// noteBacklog records a client's backlog of n bytes. It may be called
// from any goroutine.
func (c *counters) noteBacklog(n int) {
	for {
		old := c.maxPending.Load()
		if int64(n) <= old || c.maxPending.CompareAndSwap(old, int64(n)) {
			return
		}
	}
}

// loop is one run of EchoServer or TLSEchoServer: the listener and a
// Waker registered with a Selector, the dispatch loop over the handlers
// the keys carry, and the shutdown that closes the listener and then
// drains the clients. What a server does with a client is its own: it
// supplies the handlers.
type loop struct {
	config
	sel  Selector
	ln   net.Listener
	lnfd int // ln's descriptor, duplicated; -1 once closed
	wake *poller.Waker
	buf  []byte // scratch for reads; the loop is one goroutine, so one buffer serves all

	ctx      context.Context
	stopping bool      // ctx has ended: no accepting, the clients drain
	deadline time.Time // when stopping, the end of the drain
}

// run is Serve's skeleton: register the listener (accept is its handler)
// and the Waker (wakeup), dispatch until ctx has ended and the clients
// have drained or run out of time, then let the server close the clients
// left (closeClients), and close the rest. It takes ownership of ln.
func (l *loop) run(ctx context.Context, ln net.Listener, accept, wakeup Handler, closeClients func()) error {
	l.ctx, l.ln, l.lnfd, l.buf = ctx, ln, -1, make([]byte, 32<<10)
	err := l.open(accept, wakeup)
	if err == nil {
		stop := context.AfterFunc(ctx, l.wake.Wake)
		err = l.dispatch()
		stop()
		closeClients()
	}
	if cerr := l.close(); err == nil {
		err = cerr
	}
	if err != nil {
		return &net.OpError{Op: "serve", Net: ln.Addr().Network(), Addr: ln.Addr(), Err: err}
	}
	return nil
}

func (l *loop) open(accept, wakeup Handler) error {
	var err error
	if l.lnfd, err = eventloop.ListenerFD(l.ln); err != nil {
		return err
	}
	if l.sel, err = l.newSelector(); err != nil {
		return err
	}
	if l.wake, err = poller.NewWaker(); err != nil {
		return err
	}
	if _, err = l.sel.Register(l.lnfd, EventRead, accept); err != nil {
		return err
	}
	_, err = l.sel.Register(l.wake.FD(), EventRead, wakeup)
	return err
}

// close closes the listener, the Waker and the Selector, whichever are open.
func (l *loop) close() error {
	err := l.closeListener()
	if l.wake != nil {
		if l.sel != nil {
			l.sel.Unregister(l.wake.FD())
		}
		err = errors.Join(err, l.wake.Close())
	}
	if l.sel != nil {
		err = errors.Join(err, l.sel.Close())
	}
	return err
}

// closeListener closes the listener, once: the duplicate descriptor,
// unregistered first, then ln, which closes the socket.
func (l *loop) closeListener() error {
	if l.ln == nil {
		return nil
	}
	var err error
	if l.lnfd >= 0 {
		if l.sel != nil {
			l.sel.Unregister(l.lnfd)
		}
		err = unix.Close(l.lnfd)
		l.lnfd = -1
	}
	err = errors.Join(err, l.ln.Close())
	l.ln = nil
	return err
}

// dispatch is the cheat sheet's "for key, mask in sel.select():
// key.data(...)". open counts the clients still connected.
func (l *loop) dispatch() error {
	for !l.stopping || (l.counters.open.Load() > 0 && time.Now().Before(l.deadline)) {
		timeout := time.Duration(-1)
		if l.stopping {
			timeout = max(time.Until(l.deadline), 0)
		}
		ready, err := l.sel.Select(timeout)
		if err != nil {
			return err
		}
		for _, r := range ready {
			// A handler may have unregistered a later key of this batch.
			if k, err := l.sel.Key(r.Key.FD); err == nil && k == r.Key {
				r.Key.Data.(Handler)(r.Events)
			}
		}
	}
	return nil
}

// acceptEach accepts every client waiting on the listener and hands each
// to add, which registers it; a client add refuses is closed.
func (l *loop) acceptEach(add func(fd int, peer net.Addr) error) {
	for l.lnfd >= 0 {
		fd, peer, err := eventloop.Accept(l.lnfd)
		if errors.Is(err, unix.EAGAIN) {
			return
		}
		if err != nil {
			l.logf("accept failed", "err", err)
			return
		}
		if err := add(fd, peer); err != nil {
			l.logf("refused", "remote", peer.String(), "err", err)
			unix.Close(fd)
			continue
		}
		l.counters.accepted.Add(1)
		l.counters.open.Add(1)
		l.logf("accepted", "remote", peer.String())
	}
}

// closed counts and logs a client the server has closed.
func (l *loop) closed(peer, why string) {
	l.counters.open.Add(-1)
	l.logf("closed", "remote", peer, "reason", why)
}

// beginStop is for the wakeup handler: it reports whether the context has
// ended and the shutdown starts now. If so, the listener is closed and the
// drain deadline set; the server then tells its clients to finish.
func (l *loop) beginStop() bool {
	if l.stopping || l.ctx.Err() == nil {
		return false
	}
	l.stopping = true
	l.deadline = time.Now().Add(l.drain)
	if err := l.closeListener(); err != nil {
		l.logf("close listener", "err", err)
	}
	return true
}

func (l *loop) logf(msg string, args ...any) {
	if l.log != nil {
		l.log.Info(msg, args...)
	}
}
