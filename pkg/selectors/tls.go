package selectors

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
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
// what ServeTLS gets with plain code, since Go's runtime already runs an
// epoll or kqueue loop under every net.Conn. It exists to show where the
// non-blocking boundary lies; a Go program would use ServeTLS.
type TLSEchoServer struct {
	sel  Selector
	cfg  *tls.Config
	opts eventloop.Config
	ln   int
	addr *net.TCPAddr
	wake *eventloop.Waker
	buf  []byte

	conns    map[int]*cipherConn
	ctx      context.Context
	stopping bool
	deadline time.Time
	serving  atomic.Bool
	wg       sync.WaitGroup // the TLS goroutines

	mu    sync.Mutex
	dirty []*cipherConn // changed by their goroutines since the loop last looked

	accepted, open, pauses, maxPending atomic.Int64
}

// NewTLSEchoServer listens on addr for a TLS echo server with config cfg
// (which must hold a certificate), driven by sel, which it takes over and
// closes. A nil sel means NewDefaultSelector; opts may be nil. Its
// MaxPending bounds each of a client's two ciphertext buffers.
func NewTLSEchoServer(addr string, cfg *tls.Config, sel Selector, opts *eventloop.Config) (*TLSEchoServer, error) {
	if cfg == nil || (len(cfg.Certificates) == 0 && cfg.GetCertificate == nil && cfg.GetConfigForClient == nil) {
		return nil, fmt.Errorf("tls echo server on %s: the TLS config has no certificate", addr)
	}
	s := &TLSEchoServer{sel: sel, cfg: cfg, ln: -1, conns: map[int]*cipherConn{}, buf: make([]byte, 32<<10)}
	if opts != nil {
		s.opts = *opts
	}
	if s.opts.MaxPending <= 0 {
		s.opts.MaxPending = eventloop.DefaultMaxPending
	}
	if s.opts.DrainTimeout <= 0 {
		s.opts.DrainTimeout = eventloop.DefaultDrainTimeout
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
		return nil, fmt.Errorf("tls echo server on %s: %w", addr, err)
	}
	return s, nil
}

// Addr returns the address the server listens on.
func (s *TLSEchoServer) Addr() net.Addr { return s.addr }

// Stats returns the server's counters; MaxPending is the fullest either
// ciphertext buffer of one client has been. It may be called from any
// goroutine.
func (s *TLSEchoServer) Stats() eventloop.Stats {
	return eventloop.Stats{
		Accepted:   s.accepted.Load(),
		Open:       s.open.Load(),
		ReadPauses: s.pauses.Load(),
		MaxPending: s.maxPending.Load(),
	}
}

// Serve runs the loop until ctx ends. Then it stops accepting, gives each
// client EOF after the ciphertext already read (so its TLS side finishes
// the echo and sends close_notify), writes what is pending for up to the
// drain timeout, closes everything, waits for the TLS goroutines and
// returns nil. It may be called once.
func (s *TLSEchoServer) Serve(ctx context.Context) error {
	if !s.serving.CompareAndSwap(false, true) {
		return fmt.Errorf("tls echo server on %s: Serve called twice", s.addr)
	}
	s.ctx = ctx
	stop := context.AfterFunc(ctx, s.wake.Wake)
	err := s.loop()
	stop()
	for _, c := range s.conns {
		s.drop(c, "server stopped")
	}
	s.wg.Wait()
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	return err
}

func (s *TLSEchoServer) loop() error {
	for !s.stopping || (len(s.conns) > 0 && time.Now().Before(s.deadline)) {
		timeout := time.Duration(-1)
		if s.stopping {
			timeout = max(time.Until(s.deadline), 0)
		}
		ready, err := s.sel.Select(timeout)
		if err != nil {
			return fmt.Errorf("tls echo server on %s: %w", s.addr, err)
		}
		for _, r := range ready {
			if k, err := s.sel.Key(r.Key.FD); err == nil && k == r.Key {
				r.Key.Data.(Handler)(r.Events)
			}
		}
	}
	return nil
}

// Close closes the listener, the wakeup descriptor and the Selector. Serve
// does this itself; call Close for a server that is not served.
func (s *TLSEchoServer) Close() error {
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

func (s *TLSEchoServer) accept(Events) {
	for {
		fd, peer, err := eventloop.Accept(s.ln)
		if errors.Is(err, unix.EAGAIN) {
			return
		}
		if err != nil {
			s.logf("%v", err)
			return
		}
		wake := s.wake // Close clears the field; the goroutines keep the Waker
		c := newCipherConn(fd, s.addr, peer, s.opts.MaxPending, s.noteBacklog, func(c *cipherConn) {
			s.mu.Lock()
			s.dirty = append(s.dirty, c)
			s.mu.Unlock()
			wake.Wake()
		})
		c.handler = func(ev Events) { s.serve(c, ev) }
		if _, err := s.sel.Register(fd, EventRead, c.handler); err != nil {
			s.logf("refused %s: %v", peer, err)
			unix.Close(fd)
			continue
		}
		s.conns[fd] = c
		s.accepted.Add(1)
		s.open.Add(1)
		s.logf("accepted %s", peer)
		s.wg.Go(func() { s.echoTLS(c) })
	}
}

// echoTLS is a client's goroutine: the whole TLS conversation, written as
// blocking code over the cipherConn.
func (s *TLSEchoServer) echoTLS(c *cipherConn) {
	tc := tls.Server(c, s.cfg)
	// Close sends close_notify when the handshake completed, then closes
	// the cipherConn, which tells the loop to finish the socket.
	defer tc.Close()
	if err := tc.Handshake(); err != nil {
		s.logf("%s: handshake: %v", c.peer, err)
		return
	}
	if _, err := io.Copy(tc, tc); err != nil && !errors.Is(err, net.ErrClosed) {
		s.logf("%s: %v", c.peer, err)
	}
}

// serve is a client's handler: move ciphertext between the socket and the
// buffers, then tell the Selector what to wait for next.
func (s *TLSEchoServer) serve(c *cipherConn, ev Events) {
	err := s.transfer(c, ev)
	if err != nil {
		s.drop(c, err.Error())
		return
	}
	s.rearm(c)
}

func (s *TLSEchoServer) transfer(c *cipherConn, ev Events) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ev&EventRead != 0 && !c.inEOF && len(c.in) < c.max {
		buf := s.buf[:min(len(s.buf), c.max-len(c.in))]
		n, eof, err := readSocket(c.fd, buf)
		if err != nil {
			return fmt.Errorf("read from %s: %w", c.peer, err)
		}
		c.inEOF = eof
		c.in = append(c.in, buf[:n]...)
		c.cond.Broadcast()
		s.noteBacklog(len(c.in))
		if len(c.in) >= c.max {
			s.pauses.Add(1)
		}
	}
	if len(c.out) > 0 {
		n, err := writeSocket(c.fd, c.out)
		if err != nil {
			return fmt.Errorf("write to %s: %w", c.peer, err)
		}
		c.out = c.out[:copy(c.out, c.out[n:])]
		c.cond.Broadcast()
	}
	return nil
}

// noteBacklog records a buffer length for Stats. The loop reports in,
// the TLS goroutines report out as they fill it.
func (s *TLSEchoServer) noteBacklog(n int) {
	for {
		old := s.maxPending.Load()
		if int64(n) <= old || s.maxPending.CompareAndSwap(old, int64(n)) {
			return
		}
	}
}

// rearm sets what the Selector waits for on c's socket, or closes it once
// the TLS side is done and everything is written.
func (s *TLSEchoServer) rearm(c *cipherConn) {
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
		s.drop(c, "done")
		return
	}
	k, err := s.sel.Key(c.fd)
	switch {
	case want == 0 && err == nil:
		// Nothing to wait for on the socket until the TLS side acts
		// (the client sent EOF, or in is full, and nothing is to be
		// written). A key cannot have no events, and keeping the old
		// ones would report an EOF socket readable again and again, so
		// the socket leaves the Selector until the goroutine wakes us.
		_, err = s.sel.Unregister(c.fd)
	case want != 0 && err != nil:
		_, err = s.sel.Register(c.fd, want, c.handler)
	case want != 0 && k.Events != want:
		_, err = s.sel.Modify(c.fd, want, c.handler)
	default:
		err = nil
	}
	if err != nil {
		s.drop(c, err.Error())
	}
}

func (s *TLSEchoServer) drop(c *cipherConn, why string) {
	if s.conns[c.fd] != c {
		return
	}
	if _, err := s.sel.Unregister(c.fd); err != nil && !errors.Is(err, ErrNotRegistered) {
		s.logf("%v", err)
	}
	delete(s.conns, c.fd)
	c.kill()
	unix.Close(c.fd)
	s.open.Add(-1)
	s.logf("closed %s: %s", c.peer, why)
}

// wakeup runs when the Waker fires: a TLS goroutine changed its buffers,
// or the context ended.
func (s *TLSEchoServer) wakeup(Events) {
	s.wake.Drain()
	s.mu.Lock()
	dirty := s.dirty
	s.dirty = nil
	s.mu.Unlock()
	for _, c := range dirty {
		if s.conns[c.fd] == c {
			s.rearm(c)
		}
	}
	if s.stopping || s.ctx.Err() == nil {
		return
	}
	s.stopping = true
	s.deadline = time.Now().Add(s.opts.DrainTimeout)
	s.sel.Unregister(s.ln)
	unix.Close(s.ln)
	s.ln = -1
	for _, c := range s.conns {
		c.mu.Lock()
		c.inEOF = true // the TLS side sees EOF after what it has, echoes it and closes
		c.cond.Broadcast()
		c.mu.Unlock()
		s.rearm(c)
	}
}

func (s *TLSEchoServer) logf(format string, args ...any) {
	if s.opts.Logger != nil {
		s.opts.Logger.Printf(format, args...)
	}
}

// readSocket reads once from the non-blocking socket fd; nothing to read
// is not an error.
func readSocket(fd int, buf []byte) (n int, eof bool, err error) {
	for {
		n, err := unix.Read(fd, buf)
		switch {
		case errors.Is(err, unix.EINTR):
			continue
		case errors.Is(err, unix.EAGAIN):
			return 0, false, nil
		case err != nil:
			return 0, false, err
		}
		return n, n == 0, nil
	}
}

// writeSocket writes as much of buf as the non-blocking socket fd takes.
func writeSocket(fd int, buf []byte) (int, error) {
	sent := 0
	for sent < len(buf) {
		n, err := unix.Write(fd, buf[sent:])
		switch {
		case errors.Is(err, unix.EINTR):
			continue
		case errors.Is(err, unix.EAGAIN):
			return sent, nil
		case err != nil:
			return sent, err
		}
		sent += n
	}
	return sent, nil
}
