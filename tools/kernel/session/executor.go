package session

import (
	"bytes"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/cosmos72/gomacro/fast"
	"github.com/cosmos72/gomacro/gls"
)

// An executor is the goroutine that runs cells, locked to one OS thread so
// that an interrupt can find the thread a system call blocks. It owns its
// own interpreter run state (a *fast.Run, which gomacro keeps per
// goroutine): when it is abandoned, the next executor gets a fresh one and
// the abandoned goroutine keeps the old one, with the interrupt flag set,
// and dies at its next check.
type executor struct {
	jobs      chan *cell
	run       *fast.Run
	g         uintptr // gomacro's goroutine identity (gls.GoID)
	goroutine int64   // the runtime's goroutine number, as stack traces print it
	thread    int     // the OS thread's ID, where there is one
	abandoned atomic.Bool
}

// startExecutor starts an executor and makes the interpreter's globals run
// with its state.
func (s *Session) startExecutor() (*executor, error) {
	e := &executor{jobs: make(chan *cell)}
	ready := make(chan error, 1)
	go e.loop(s, ready)
	if err := <-ready; err != nil {
		return nil, err
	}
	return e, nil
}

// loop binds the executor to its thread and its interpreter state, then
// runs cells until the session closes or the executor is abandoned.
func (e *executor) loop(s *Session, ready chan<- error) {
	runtime.LockOSThread()
	// Never unlocked: a goroutine that ends locked takes its thread with
	// it, which is what an abandoned executor's thread should do.
	e.g = gls.GoID()
	e.goroutine = currentGoroutine()
	e.thread = threadID()
	run, err := s.bind()
	if err != nil {
		ready <- err
		return
	}
	e.run = run
	ready <- nil
	for c := range e.jobs {
		r := s.execute(e, c)
		c.finish(r)
		if e.abandoned.Load() {
			return
		}
	}
}

// bind runs the bind expression on the calling goroutine, which makes
// gomacro create and register this goroutine's run state, and installs
// that state for the interpreter's globals. It must not prepare the
// globals' environment: that would clear the interrupt flag of the run
// state it replaces, which an abandoned executor still needs.
func (s *Session) bind() (run *fast.Run, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("session: start an executor: %v", p)
		}
	}()
	s.bindRun(s.fileEnv)
	run = <-s.captured
	for env := s.fileEnv; env != nil; env = env.Outer {
		env.Run = run
	}
	return run, nil
}

// finish records that the executor is done with c.
func (c *cell) finish(r Result) {
	c.mu.Lock()
	c.stopped = true
	c.mu.Unlock()
	c.done <- r
}

// currentGoroutine returns the number of the calling goroutine, from the
// first line of its stack trace ("goroutine 42 [running]:").
func currentGoroutine() int64 {
	buf := make([]byte, 64)
	buf = buf[:runtime.Stack(buf, false)]
	buf, _ = bytes.CutPrefix(buf, []byte("goroutine "))
	if i := bytes.IndexByte(buf, ' '); i > 0 {
		n, _ := strconv.ParseInt(string(buf[:i]), 10, 64)
		return n
	}
	return 0
}

// waitReason returns what goroutine g is waiting for, as its stack trace
// says ("chan receive", "select (no cases)", "sleep", "syscall"), and the
// function it waits in, or "" when it is not found.
func waitReason(g int64) (reason, function string) {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	head := []byte("goroutine " + strconv.FormatInt(g, 10) + " [")
	i := bytes.Index(buf, head)
	if i < 0 {
		return "", ""
	}
	rest := buf[i+len(head):]
	end := bytes.IndexByte(rest, ']')
	if end < 0 {
		return "", ""
	}
	reason = string(rest[:end])
	if j := strings.IndexByte(reason, ','); j >= 0 {
		reason = reason[:j] // drop ", 5 minutes", ", locked to thread"
	}
	// The first frame outside the runtime is what the cell called.
	lines := bytes.Split(rest[end:], []byte("\n"))
	for k := 1; k+1 < len(lines); k += 2 {
		fn := string(lines[k])
		if p := bytes.LastIndexByte(lines[k], '('); p > 0 {
			fn = string(lines[k][:p])
		}
		if fn == "" || strings.HasPrefix(fn, "runtime.") || strings.HasPrefix(fn, "internal/") {
			continue
		}
		// A wait the interpreter does for the cell (a channel operation,
		// a select) is the cell's own: the reason says it all.
		if strings.HasPrefix(fn, "reflect.") || strings.HasPrefix(fn, "github.com/cosmos72/gomacro/") {
			return reason, ""
		}
		return reason, fn
	}
	return reason, ""
}
