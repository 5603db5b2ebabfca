package eventloop

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/sockbook/sockbook/pkg/poller"
	"golang.org/x/sys/unix"
)

// A Mechanism names the readiness API a Server's loop waits with; each is
// a file of package poller.
type Mechanism string

// The mechanisms, one per recipe.
const (
	Select Mechanism = "select" // select(2): portable, limited to descriptors below FD_SETSIZE
	Poll   Mechanism = "poll"   // poll(2): portable, no descriptor limit, O(n) per wait
	Epoll  Mechanism = "epoll"  // epoll(7): Linux only, O(ready) per wait
	Kqueue Mechanism = "kqueue" // kqueue(2): macOS and the BSDs only, O(ready) per wait
)

// Available returns nil when m works on this system. Otherwise the error
// matches errors.ErrUnsupported (kqueue on Linux, epoll elsewhere) or names
// an unknown mechanism.
func (m Mechanism) Available() error { return poller.Available(string(m)) }

// Default settings of a Server's zero fields.
const (
	DefaultMaxPending   = 64 << 10
	DefaultDrainTimeout = 2 * time.Second
)

// Stats counts what a Server has done, over all its Serve calls.
type Stats struct {
	Accepted   int64 // clients accepted
	Refused    int64 // clients closed at once because the loop could not watch them
	Open       int64 // clients connected now
	ReadPauses int64 // times reading from a client paused because its output reached MaxPending
	MaxPending int64 // the most output any one client had pending at once
}

// A Server is a TCP echo server run by one event loop over raw
// non-blocking sockets. Its zero value is ready to use: it waits with the
// system's best mechanism (epoll on Linux, kqueue on the BSDs). Serve's
// lifecycle is the one every sockbook server has (see package socketserver).
type Server struct {
	// Mechanism is what the loop waits with. Empty means the best one
	// here; one this system lacks makes Serve fail with an error matching
	// errors.ErrUnsupported.
	Mechanism Mechanism

	// MaxPending caps the bytes read from one client and not yet echoed
	// back; reading from that client pauses while the cap is reached.
	// Zero means DefaultMaxPending.
	MaxPending int

	// DrainTimeout bounds how long Serve, once its context ends, keeps
	// writing output already read to clients that are slow to take it.
	// Zero means DefaultDrainTimeout.
	DrainTimeout time.Duration

	// Logger gets a line for each client that comes and goes and for each
	// error that closes one. Nil discards them.
	Logger *slog.Logger

	accepted, refused, open, pauses, maxPending atomic.Int64
}

// Stats returns the server's counters. It may be called from any goroutine.
func (s *Server) Stats() Stats {
	return Stats{
		Accepted:   s.accepted.Load(),
		Refused:    s.refused.Load(),
		Open:       s.open.Load(),
		ReadPauses: s.pauses.Load(),
		MaxPending: s.maxPending.Load(),
	}
}

// Serve echoes every client ln accepts, on one goroutine that waits with
// s.Mechanism, until ctx ends. Then it stops accepting and reading, closes
// ln, keeps writing output it already read for up to DrainTimeout, closes
// every client and returns nil. It returns an error only when the loop
// cannot start or its wait fails; a failing client is logged and closed,
// and the loop goes on. Serve takes ownership of ln.
//
// ln must have a descriptor (a *net.TCPListener does): the loop accepts,
// reads and writes on raw non-blocking descriptors, with the listener's
// duplicated through SyscallConn, and never uses the net package's poller.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	l, err := s.newLoop(ctx, ln)
	if err != nil {
		return serveError(ln, err)
	}
	stop := context.AfterFunc(ctx, l.wake.Wake)
	err = l.run()
	stop()
	if cerr := l.shutdown(); err == nil {
		err = cerr
	}
	if err != nil {
		return serveError(ln, err)
	}
	return nil
}

// serveError wraps a failed Serve as the net package wraps a failed
// operation: "serve tcp 127.0.0.1:5566: ...".
func serveError(ln net.Listener, err error) error {
	return &net.OpError{Op: "serve", Net: ln.Addr().Network(), Addr: ln.Addr(), Err: err}
}

// ListenerFD returns a duplicate of ln's descriptor, close-on-exec, for a
// loop that accepts on it with Accept. The duplicate shares the socket and
// its non-blocking mode (the net package set it), where calling File would
// switch the socket to blocking mode. The caller closes the duplicate, and
// ln, which closes the socket.
func ListenerFD(ln net.Listener) (int, error) {
	sc, ok := ln.(syscall.Conn)
	if !ok {
		return -1, fmt.Errorf("eventloop: a %T has no descriptor to poll; want a *net.TCPListener", ln)
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return -1, err
	}
	fd, derr := -1, error(nil)
	if err := raw.Control(func(s uintptr) { fd, derr = unix.FcntlInt(s, unix.F_DUPFD_CLOEXEC, 0) }); err != nil {
		return -1, err
	}
	if derr != nil {
		return -1, os.NewSyscallError("fcntl F_DUPFD_CLOEXEC", derr)
	}
	return fd, nil
}

// logClient logs that client c was accepted, refused or closed, and why
// when why is not empty. The client's address is formatted only when
// there is a logger, so a quiet server spends nothing per client on it.
func (s *Server) logClient(event string, c *Conn, why string) {
	switch {
	case s.Logger == nil:
	case why == "":
		s.Logger.Info(event, "remote", c.Peer())
	default:
		s.Logger.Info(event, "remote", c.Peer(), "reason", why)
	}
}

func (s *Server) logError(msg string, err error) {
	if s.Logger != nil {
		s.Logger.Warn(msg, "err", err)
	}
}
