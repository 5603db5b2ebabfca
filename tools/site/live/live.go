// Package live runs the code cells of the site's chapter pages for
// "go run build.go serve": a page's Run button sends a cell to a sockbook
// kernel of that page's own, and the outputs stream back into the page,
// rendered by the same code that renders the stored ones.
//
// This is code execution on the reader's machine, so every request is
// checked before it reaches a kernel (see Guard and Server.ServeHTTP): the
// Host must be one the server listens as (no DNS rebinding), a run request
// must come from a page of the same origin (Origin header) and carry the
// token the server made when it started (X-Sockbook-Token), and bodies are
// size-limited. The server that mounts it binds loopback only.
//
// Kernels are started on a page's first Run, at most MaxKernels at once;
// one whose page stops pinging is shut down after IdleTimeout, and Close
// shuts every kernel down.
package live

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/sockbook/sockbook/tools/jupyter"
)

// Defaults of a Config's zero fields.
const (
	DefaultMaxKernels  = 4
	DefaultIdleTimeout = 3 * time.Minute
	DefaultMaxRequest  = 1 << 20
	DefaultMaxOutput   = 1 << 20
)

// Config says how a Server starts kernels and whom it serves.
type Config struct {
	// Spec starts a kernel (kernelbin.Spec of a built kernel).
	Spec jupyter.KernelSpec

	// Render shows an output as the site shows stored ones
	// (sitegen.RenderOutput).
	Render Render

	// Token must accompany every request; New makes a random one when it
	// is empty.
	Token string

	// Hosts are the Host header values the server answers to, such as
	// "localhost:8000" and "127.0.0.1:8000". A request naming any other
	// host is refused: a page of another site whose name resolves to
	// loopback (DNS rebinding) would otherwise be same-origin with us.
	Hosts []string

	// MaxKernels bounds the kernels running at once. Zero means
	// DefaultMaxKernels.
	MaxKernels int

	// IdleTimeout shuts down a kernel whose page has sent nothing, not
	// even a ping, for this long. Zero means DefaultIdleTimeout.
	IdleTimeout time.Duration

	// MaxRequest bounds a request body in bytes. Zero means
	// DefaultMaxRequest.
	MaxRequest int64

	// MaxOutput bounds the output of one run sent to the page, in bytes of
	// text; the rest is dropped with a note, and the cell keeps running.
	// Zero means DefaultMaxOutput.
	MaxOutput int

	// KernelStderr receives the kernels' standard error; nil discards it.
	KernelStderr *os.File

	// Logger gets a line per kernel started and stopped. Nil discards.
	Logger *slog.Logger
}

// A Server runs page sessions' kernels. Create it with New; it is an
// http.Handler for the paths under Prefix.
type Server struct {
	cfg Config
	ctx context.Context // ends on Close

	stop context.CancelFunc
	done chan struct{} // the reaper has returned

	mu       sync.Mutex
	sessions map[string]*session
	closed   bool
}

// Prefix is the path under which a Server answers.
const Prefix = "/__kernel/"

// New returns a Server for cfg and starts its reaper of idle kernels.
func New(cfg Config) (*Server, error) {
	if len(cfg.Spec.Argv) == 0 {
		return nil, errors.New("live: Config.Spec has no argv")
	}
	if cfg.Render == nil {
		return nil, errors.New("live: Config.Render is nil")
	}
	if len(cfg.Hosts) == 0 {
		return nil, errors.New("live: Config.Hosts is empty")
	}
	if cfg.Token == "" {
		cfg.Token = randomID()
	}
	if cfg.MaxKernels <= 0 {
		cfg.MaxKernels = DefaultMaxKernels
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.MaxRequest <= 0 {
		cfg.MaxRequest = DefaultMaxRequest
	}
	if cfg.MaxOutput <= 0 {
		cfg.MaxOutput = DefaultMaxOutput
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	ctx, stop := context.WithCancel(context.Background())
	s := &Server{cfg: cfg, ctx: ctx, stop: stop, done: make(chan struct{}), sessions: map[string]*session{}}
	go s.reap()
	return s, nil
}

// Token returns the token pages must send.
func (s *Server) Token() string { return s.cfg.Token }

// Close shuts every kernel down and waits for their processes to exit.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	all := make([]*session, 0, len(s.sessions))
	for id, ss := range s.sessions {
		all = append(all, ss)
		delete(s.sessions, id)
	}
	s.mu.Unlock()
	s.stop()
	<-s.done
	var wg sync.WaitGroup
	errs := make([]error, len(all))
	for i, ss := range all {
		wg.Go(func() { errs[i] = ss.close() })
	}
	wg.Wait()
	return errors.Join(errs...)
}

// newSession starts a kernel for a new page session.
func (s *Server) newSession(ctx context.Context) (*session, error) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, errClosed
	}
	if len(s.sessions) >= s.cfg.MaxKernels {
		s.mu.Unlock()
		return nil, fmt.Errorf("%w: %d kernels are running; close another sockbook page or wait %v for an idle one to stop",
			errTooMany, s.cfg.MaxKernels, s.cfg.IdleTimeout)
	}
	ss := &session{id: randomID(), srv: s, last: time.Now()}
	s.sessions[ss.id] = ss // holds a place while the kernel starts
	s.mu.Unlock()
	if err := ss.start(ctx); err != nil {
		s.drop(ss.id)
		return nil, err
	}
	// Close may have taken the session while its kernel was starting, and
	// found no kernel to stop: stop it here.
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		_ = ss.stopKernel()
		return nil, errClosed
	}
	s.cfg.Logger.Info("kernel started", "session", ss.id)
	return ss, nil
}

// session returns the session id names, marking it used.
func (s *Server) session(id string) (*session, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, ok := s.sessions[id]
	if ok {
		ss.touch()
	}
	return ss, ok
}

// drop forgets session id and returns it, if it was there.
func (s *Server) drop(id string) *session {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.sessions[id]
	delete(s.sessions, id)
	return ss
}

// reap shuts down the kernels of sessions idle for longer than
// IdleTimeout: a tab that closed without saying so.
func (s *Server) reap() {
	defer close(s.done)
	tick := time.NewTicker(min(s.cfg.IdleTimeout/4, 15*time.Second))
	defer tick.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case now := <-tick.C:
			var idle []*session
			s.mu.Lock()
			for id, ss := range s.sessions {
				if ss.idleSince(now) > s.cfg.IdleTimeout {
					idle = append(idle, ss)
					delete(s.sessions, id)
				}
			}
			s.mu.Unlock()
			for _, ss := range idle {
				s.cfg.Logger.Info("kernel stopped: page idle", "session", ss.id, "after", s.cfg.IdleTimeout)
				_ = ss.close()
			}
		}
	}
}

var (
	errClosed  = errors.New("live: server is shutting down")
	errTooMany = errors.New("live: too many kernels")
)

// randomID returns 128 random bits in hex.
func randomID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	return hex.EncodeToString(b[:])
}
