package selectors

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/sockbook/sockbook/pkg/eventloop"
	"golang.org/x/sys/unix"
)

// TLSEchoServer is the nonblocking-tls recipe: a TLS echo server whose
// sockets are non-blocking and driven by a Selector.
//
// Python's ssl module can run over a non-blocking socket: a call that
// needs the network to make progress raises SSLWantReadError or
// SSLWantWriteError, and the loop retries it when the socket is ready.
// crypto/tls has no such mode: a tls.Conn calls Read and Write on its
// transport and needs them to block. So this server splits the work the
// way OpenSSL's memory BIOs do. The Selector loop owns each socket and
// moves ciphertext between it and two in-memory buffers; each client's
// tls.Conn runs in its own goroutine over those buffers (cipherConn),
// doing the handshake, decrypting, echoing and sending close_notify, and
// waking the loop through a Waker when it has output or has finished.
//
// The trade-off, honestly: this still costs a goroutine per client, plus a
// copy of every byte through the buffers and a lock per operation, to get
// what tlsecho.Server gets with plain code, since Go's runtime already runs an
// epoll or kqueue loop under every net.Conn. It exists to show where the
// non-blocking boundary lies; a Go program would use tlsecho.Server.
type TLSEchoServer struct {
	// TLS is the server's configuration, with at least one certificate.
	TLS *tls.Config

	// NewSelector makes the Selector each Serve runs on, which Serve
	// closes. Nil means NewDefaultSelector.
	NewSelector func() (Selector, error)

	// MaxPending bounds each of a client's two ciphertext buffers; it
	// must hold a whole TLS record, as the default does, and the
	// MaxPending of Stats is the fullest either has been. Zero means
	// eventloop.DefaultMaxPending.
	MaxPending int

	// DrainTimeout bounds the writing of what is owed once the context
	// ends. Zero means eventloop.DefaultDrainTimeout.
	DrainTimeout time.Duration

	// Logger gets a line per client that comes and goes and per failed
	// handshake. Nil discards.
	Logger *slog.Logger

	counters
}

// Serve serves TLS echo on every client ln accepts until ctx ends. Then
// it closes ln, gives each client EOF after the ciphertext already read
// (so its TLS side finishes the echo and sends close_notify), writes what
// is pending for up to DrainTimeout, closes everything, waits for the TLS
// goroutines and returns nil, as every sockbook server does (see package
// socketserver). Serve takes ownership of ln.
func (s *TLSEchoServer) Serve(ctx context.Context, ln net.Listener) error {
	if s.TLS == nil || (len(s.TLS.Certificates) == 0 && s.TLS.GetCertificate == nil && s.TLS.GetConfigForClient == nil) {
		ln.Close()
		return &net.OpError{Op: "serve", Net: ln.Addr().Network(), Addr: ln.Addr(), Err: errors.New("selectors: TLSEchoServer.TLS has no certificate")}
	}
	r := &tlsRun{tlsConfig: s.TLS, conns: map[int]*cipherConn{}}
	r.config = newConfig(s.NewSelector, s.MaxPending, s.DrainTimeout, s.Logger, &s.counters)
	return r.run(ctx, ln, r.accept, r.wakeup, func() {
		for _, c := range r.conns {
			r.drop(c, "server stopped")
		}
		r.wg.Wait()
	})
}

// tlsRun is one Serve of a TLSEchoServer.
type tlsRun struct {
	loop
	tlsConfig *tls.Config

	conns map[int]*cipherConn
	wg    sync.WaitGroup // the TLS goroutines

	mu    sync.Mutex
	dirty []*cipherConn // changed by their goroutines since the loop last looked
}

// accept is the listener's handler: each new client gets a cipherConn,
// registered with the Selector, and a goroutine for its TLS side.
func (r *tlsRun) accept(Events) {
	r.acceptEach(func(fd int, peer net.Addr) error {
		wake := r.wake
		c := newCipherConn(fd, r.ln.Addr(), peer, r.maxPending, r.counters.noteBacklog, func(c *cipherConn) {
			r.mu.Lock()
			r.dirty = append(r.dirty, c)
			r.mu.Unlock()
			wake.Wake()
		})
		c.handler = func(ev Events) { r.serve(c, ev) }
		if _, err := r.sel.Register(fd, EventRead, c.handler); err != nil {
			return err
		}
		r.conns[fd] = c
		r.wg.Go(func() { r.echoTLS(c) })
		return nil
	})
}

// echoTLS is a client's goroutine: the whole TLS conversation, written as
// blocking code over the cipherConn.
func (r *tlsRun) echoTLS(c *cipherConn) {
	tc := tls.Server(c, r.tlsConfig)
	// Close sends close_notify when the handshake completed, then closes
	// the cipherConn, which tells the loop to finish the socket.
	defer tc.Close()
	if err := tc.Handshake(); err != nil {
		r.logf("handshake failed", "remote", c.peer.String(), "err", err)
		return
	}
	if _, err := io.Copy(tc, tc); err != nil && !errors.Is(err, net.ErrClosed) {
		r.logf("connection ended", "remote", c.peer.String(), "err", err)
	}
}

// serve is a client's handler: move ciphertext between the socket and the
// buffers, then tell the Selector what to wait for next.
func (r *tlsRun) serve(c *cipherConn, ev Events) {
	err := r.transfer(c, ev)
	if err != nil {
		r.drop(c, err.Error())
		return
	}
	r.rearm(c)
}

func (r *tlsRun) transfer(c *cipherConn, ev Events) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ev&EventRead != 0 && !c.inEOF && len(c.in) < c.max {
		buf := r.buf[:min(len(r.buf), c.max-len(c.in))]
		n, eof, err := eventloop.ReadSome(c.fd, buf)
		if err != nil {
			return fmt.Errorf("read from %s: %w", c.peer, err)
		}
		c.inEOF = eof
		c.in = append(c.in, buf[:n]...)
		c.cond.Broadcast()
		r.counters.noteBacklog(len(c.in))
		if len(c.in) >= c.max {
			r.counters.pauses.Add(1)
		}
	}
	if len(c.out) > 0 {
		n, err := eventloop.WriteSome(c.fd, c.out)
		if err != nil {
			return fmt.Errorf("write to %s: %w", c.peer, err)
		}
		c.out = c.out[:copy(c.out, c.out[n:])]
		c.cond.Broadcast()
	}
	return nil
}

// rearm sets what the Selector waits for on c's socket, or closes it once
// the TLS side is done and everything is written.
func (r *tlsRun) rearm(c *cipherConn) {
	c.mu.Lock()
	var want Events
	if !c.inEOF && len(c.in) < c.max {
		want |= EventRead
	}
	if len(c.out) > 0 {
		want |= EventWrite
	}
	finished := c.tlsDone && len(c.out) == 0
	c.mu.Unlock()
	if finished {
		r.drop(c, "done")
		return
	}
	k, err := r.sel.Key(c.fd)
	switch {
	case want == 0 && err == nil:
		// Nothing to wait for on the socket until the TLS side acts
		// (the client sent EOF, or in is full, and nothing is to be
		// written). A key cannot have no events, and keeping the old
		// ones would report an EOF socket readable again and again, so
		// the socket leaves the Selector until the goroutine wakes us.
		_, err = r.sel.Unregister(c.fd)
	case want != 0 && err != nil:
		_, err = r.sel.Register(c.fd, want, c.handler)
	case want != 0 && k.Events != want:
		_, err = r.sel.Modify(c.fd, want, c.handler)
	default:
		err = nil
	}
	if err != nil {
		r.drop(c, err.Error())
	}
}

func (r *tlsRun) drop(c *cipherConn, why string) {
	if r.conns[c.fd] != c {
		return
	}
	if _, err := r.sel.Unregister(c.fd); err != nil && !errors.Is(err, ErrNotRegistered) {
		r.logf("unregister failed", "err", err)
	}
	delete(r.conns, c.fd)
	c.kill()
	unix.Close(c.fd)
	r.closed(c.peer.String(), why)
}

// wakeup runs when the Waker fires: a TLS goroutine changed its buffers,
// or the context ended.
func (r *tlsRun) wakeup(Events) {
	r.wake.Drain()
	r.mu.Lock()
	dirty := r.dirty
	r.dirty = nil
	r.mu.Unlock()
	for _, c := range dirty {
		if r.conns[c.fd] == c {
			r.rearm(c)
		}
	}
	if !r.beginStop() {
		return
	}
	for _, c := range r.conns {
		c.mu.Lock()
		c.inEOF = true // the TLS side sees EOF after what it has, echoes it and closes
		c.cond.Broadcast()
		c.mu.Unlock()
		r.rearm(c)
	}
}
