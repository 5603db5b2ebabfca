package live

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/sockbook/sockbook/tools/jupyter"
)

// A session is one page's kernel.
type session struct {
	id  string
	srv *Server

	mu      sync.Mutex
	kernel  *jupyter.Kernel
	client  *jupyter.Client
	gen     int       // counts restarts, so a run can tell it was cut off by one
	running int       // runs in progress; a busy kernel is never idle
	last    time.Time // the page's last request
}

// start starts the session's kernel and connects to it.
func (ss *session) start(ctx context.Context) error {
	k, err := jupyter.StartKernel(ss.srv.cfg.Spec, nil, ss.srv.cfg.KernelStderr)
	if err != nil {
		return fmt.Errorf("live: start kernel: %w", err)
	}
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	c, err := k.Dial(dctx)
	if err != nil {
		_ = k.Close(time.Second)
		return fmt.Errorf("live: connect to the kernel: %w", err)
	}
	ss.mu.Lock()
	ss.kernel, ss.client = k, c
	ss.gen++
	ss.mu.Unlock()
	return nil
}

// touch records a request from the page.
func (ss *session) touch() {
	ss.mu.Lock()
	ss.last = time.Now()
	ss.mu.Unlock()
}

// idleSince says how long the session has been idle at now: zero while a
// run is in progress.
func (ss *session) idleSince(now time.Time) time.Duration {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.running > 0 {
		return 0
	}
	return now.Sub(ss.last)
}

// current returns the kernel's client and generation.
func (ss *session) current() (*jupyter.Client, *jupyter.Kernel, int) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.client, ss.kernel, ss.gen
}

// state is what the page shows: "idle", "busy" or "dead".
func (ss *session) state() string {
	_, k, _ := ss.current()
	if k == nil {
		return "dead"
	}
	select {
	case <-k.Done():
		return "dead"
	default:
	}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.running > 0 {
		return "busy"
	}
	return "idle"
}

// restart replaces the kernel with a fresh one: every variable is lost,
// as with Jupyter's Restart.
func (ss *session) restart(ctx context.Context) error {
	_ = ss.stopKernel() // whatever the old kernel's end, the page wants a new one
	return ss.start(ctx)
}

// stopKernel shuts the current kernel down and returns its error.
func (ss *session) stopKernel() error {
	ss.mu.Lock()
	c, k := ss.client, ss.kernel
	ss.client, ss.kernel = nil, nil
	ss.mu.Unlock()
	if k == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = c.Shutdown(ctx, false) // a dead kernel cannot answer; Close kills what is left
	err := k.Close(2 * time.Second)
	_ = c.Close()
	return err
}

// close ends the session's kernel for good.
func (ss *session) close() error {
	err := ss.stopKernel()
	ss.srv.cfg.Logger.Info("kernel stopped", "session", ss.id)
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("live: session %s: %w", ss.id, err)
	}
	return nil
}
