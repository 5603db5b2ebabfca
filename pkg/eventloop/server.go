package eventloop

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

// A Mechanism names the readiness API an echo Server waits with.
type Mechanism string

// The mechanisms, one per recipe.
const (
	Select Mechanism = "select" // select(2): portable, limited to descriptors below FD_SETSIZE
	Poll   Mechanism = "poll"   // poll(2): portable, no descriptor limit, O(n) per wait
	Epoll  Mechanism = "epoll"  // epoll(7): Linux only, O(ready) per wait
	Kqueue Mechanism = "kqueue" // kqueue(2): macOS and the BSDs only, O(ready) per wait
)

// ErrDescriptorTooLarge reports a descriptor that select cannot watch: an
// fd_set is a bitmap of FD_SETSIZE bits, and setting a higher bit would
// write past its end.
var ErrDescriptorTooLarge = fmt.Errorf("descriptor is not below FD_SETSIZE (%d); use poll or epoll", unix.FD_SETSIZE)

// Available returns nil when m works on this system. Otherwise the error
// matches errors.ErrUnsupported (kqueue on Linux, epoll elsewhere) or names
// an unknown mechanism.
func (m Mechanism) Available() error {
	switch m {
	case Select, Poll:
		return nil
	case Epoll:
		if haveEpoll {
			return nil
		}
	case Kqueue:
		if haveKqueue {
			return nil
		}
	default:
		return fmt.Errorf("eventloop: unknown mechanism %q (want select, poll, epoll or kqueue)", string(m))
	}
	return fmt.Errorf("eventloop: %s is not supported on %s: %w", m, runtime.GOOS, errors.ErrUnsupported)
}

// DefaultDrainTimeout is how long Serve keeps writing pending output after
// its context ends, used when Config.DrainTimeout is zero.
const DefaultDrainTimeout = 2 * time.Second

// Config holds a Server's settings. The zero value is ready to use.
type Config struct {
	// MaxPending caps the bytes read from one client and not yet echoed
	// back; reading from that client pauses while the cap is reached.
	// Zero means DefaultMaxPending.
	MaxPending int
	// DrainTimeout bounds how long Serve, once its context ends, keeps
	// writing output already read to clients that are slow to take it.
	// Zero means DefaultDrainTimeout.
	DrainTimeout time.Duration
	// Logger, when not nil, gets a line for each client that comes and
	// goes and for each error that closes one.
	Logger *log.Logger
}

// Stats counts what a Server has done. All counts are since Listen.
type Stats struct {
	Accepted   int64 // clients accepted
	Refused    int64 // clients closed at once because the loop could not watch them
	Open       int64 // clients connected now
	ReadPauses int64 // times reading from a client paused because its output reached MaxPending
	MaxPending int64 // the most output any one client had pending at once
}

// A Server is a TCP echo server run by one event loop over raw
// non-blocking sockets. Create it with Listen, run it with Serve.
type Server struct {
	mech Mechanism
	cfg  Config
	addr *net.TCPAddr
	wake *Waker

	mu      sync.Mutex // guards ln against Close racing with Serve's shutdown
	ln      int        // the listening socket, -1 once closed
	serving atomic.Bool

	accepted, refused, open, pauses, maxPending atomic.Int64
}

// Listen opens a listening socket on addr ("localhost:5566"; port 0 picks
// a free one) for an echo server whose loop uses m. cfg may be nil.
//
// For a Mechanism not available here it returns an error that matches
// errors.ErrUnsupported, before opening anything.
func Listen(m Mechanism, addr string, cfg *Config) (*Server, error) {
	if err := m.Available(); err != nil {
		return nil, err
	}
	s := &Server{mech: m}
	if cfg != nil {
		s.cfg = *cfg
	}
	if s.cfg.MaxPending <= 0 {
		s.cfg.MaxPending = DefaultMaxPending
	}
	if s.cfg.DrainTimeout <= 0 {
		s.cfg.DrainTimeout = DefaultDrainTimeout
	}
	ln, bound, err := ListenTCP(addr)
	if err != nil {
		return nil, err
	}
	s.ln, s.addr = ln, bound
	if s.wake, err = NewWaker(); err != nil {
		unix.Close(ln)
		return nil, err
	}
	if m == Select {
		for _, fd := range []int{ln, s.wake.FD()} {
			if err := CheckSelectable(fd); err != nil {
				s.Close()
				return nil, fmt.Errorf("select server on %s: %w", addr, err)
			}
		}
	}
	return s, nil
}

// Addr returns the address the server listens on.
func (s *Server) Addr() net.Addr { return s.addr }

// Mechanism returns the readiness API the server's loop uses.
func (s *Server) Mechanism() Mechanism { return s.mech }

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

// Serve runs the event loop until ctx ends. Then it stops accepting and
// reading, keeps writing output it already read for up to
// Config.DrainTimeout, closes every descriptor and returns nil. It returns
// an error only when the wait itself fails; a failing client is logged and
// closed, and the loop goes on.
//
// Serve may be called once.
func (s *Server) Serve(ctx context.Context) error {
	if !s.serving.CompareAndSwap(false, true) {
		return fmt.Errorf("%s server on %s: Serve called twice", s.mech, s.addr)
	}
	stop := context.AfterFunc(ctx, s.wake.Wake)
	var err error
	switch s.mech {
	case Select:
		err = s.serveSelect(ctx)
	case Poll:
		err = s.servePoll(ctx)
	case Epoll:
		err = s.serveEpoll(ctx)
	case Kqueue:
		err = s.serveKqueue(ctx)
	}
	stop()
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s server on %s: %w", s.mech, s.addr, err)
	}
	return nil
}

// Close closes the listening socket and the wakeup descriptor. Serve does
// this itself; call Close for a Server that is not served.
func (s *Server) Close() error {
	return errors.Join(s.closeListener(), s.wake.Close())
}

func (s *Server) closeListener() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln < 0 {
		return nil
	}
	err := unix.Close(s.ln)
	s.ln = -1
	return err
}

// listener returns the listening socket, or -1 once it is closed.
func (s *Server) listener() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ln
}

// logClient logs that client c was accepted, refused or closed, and why
// when why is not empty. The client's address is formatted only when
// there is a logger, so a quiet server spends nothing per client on it.
func (s *Server) logClient(event string, c *Conn, why string) {
	switch {
	case s.cfg.Logger == nil:
	case why == "":
		s.cfg.Logger.Printf("%s %s", event, c.Peer())
	default:
		s.cfg.Logger.Printf("%s %s: %s", event, c.Peer(), why)
	}
}

func (s *Server) logf(format string, args ...any) {
	if s.cfg.Logger != nil {
		s.cfg.Logger.Printf(format, args...)
	}
}
