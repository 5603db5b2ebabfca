package selectors

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"

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
	loop      // the listener, the Waker, Serve's loop and the counters
	tlsConfig *tls.Config

	conns map[int]*cipherConn
	wg    sync.WaitGroup // the TLS goroutines

	mu    sync.Mutex
	dirty []*cipherConn // changed by their goroutines since the loop last looked
}

// NewTLSEchoServer listens on addr for a TLS echo server with config cfg
// (which must hold a certificate), driven by sel, which it takes over and
// closes. A nil sel means NewDefaultSelector; opts may be nil. Its
// MaxPending bounds each of a client's two ciphertext buffers, and the
// MaxPending of Stats is the fullest either has been.
func NewTLSEchoServer(addr string, cfg *tls.Config, sel Selector, opts *eventloop.Config) (*TLSEchoServer, error) {
	if cfg == nil || (len(cfg.Certificates) == 0 && cfg.GetCertificate == nil && cfg.GetConfigForClient == nil) {
		return nil, fmt.Errorf("tls echo server on %s: the TLS config has no certificate", addr)
	}
	s := &TLSEchoServer{tlsConfig: cfg, conns: map[int]*cipherConn{}}
	if err := s.listen("tls echo server", addr, sel, opts, s.accept, s.wakeup); err != nil {
		return nil, err
	}
	return s, nil
}

// Serve runs the loop until ctx ends. Then it stops accepting, gives each
// client EOF after the ciphertext already read (so its TLS side finishes
// the echo and sends close_notify), writes what is pending for up to the
// drain timeout, closes everything, waits for the TLS goroutines and
// returns nil. It may be called once.
func (s *TLSEchoServer) Serve(ctx context.Context) error {
	return s.run(ctx, func() {
		for _, c := range s.conns {
			s.drop(c, "server stopped")
		}
		s.wg.Wait()
	})
}

// accept is the listener's handler: each new client gets a cipherConn,
// registered with the Selector, and a goroutine for its TLS side.
func (s *TLSEchoServer) accept(Events) {
	s.acceptEach(func(fd int, peer net.Addr) error {
		wake := s.wake // Close clears the field; the goroutines keep the Waker
		c := newCipherConn(fd, s.addr, peer, s.cfg.MaxPending, s.noteBacklog, func(c *cipherConn) {
			s.mu.Lock()
			s.dirty = append(s.dirty, c)
			s.mu.Unlock()
			wake.Wake()
		})
		c.handler = func(ev Events) { s.serve(c, ev) }
		if _, err := s.sel.Register(fd, EventRead, c.handler); err != nil {
			return err
		}
		s.conns[fd] = c
		s.wg.Go(func() { s.echoTLS(c) })
		return nil
	})
}

// echoTLS is a client's goroutine: the whole TLS conversation, written as
// blocking code over the cipherConn.
func (s *TLSEchoServer) echoTLS(c *cipherConn) {
	tc := tls.Server(c, s.tlsConfig)
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
	s.closed(c.peer.String(), why)
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
	if !s.beginStop() {
		return
	}
	for _, c := range s.conns {
		c.mu.Lock()
		c.inEOF = true // the TLS side sees EOF after what it has, echoes it and closes
		c.cond.Broadcast()
		c.mu.Unlock()
		s.rearm(c)
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
