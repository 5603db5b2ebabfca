package session

import (
	"go/scanner"
	"go/token"
	"os"
	"reflect"
	"time"

	"github.com/cosmos72/gomacro/base"
	"github.com/cosmos72/gomacro/fast"
)

// kickEvery is how often an interrupted cell's thread is signalled while
// it waits in a system call: code that retries after EINTR gets another
// signal soon.
const kickEvery = time.Millisecond

// Interrupt stops the running cell, if there is one, by every means that
// applies (see the package documentation), and returns at once. The cell's
// Run returns, with an Interrupted error, when the cell has stopped or has
// been abandoned.
func (s *Session) Interrupt() {
	s.mu.Lock()
	c := s.running
	s.mu.Unlock()
	if c == nil {
		return
	}
	first := false
	c.interruptOnce.Do(func() { first = true })
	if !first {
		return
	}
	e := c.exec
	close(c.wake)
	c.cancel()
	if e.run != nil {
		// gomacro's cooperative interrupt: the flag its run loop checks.
		// It is a plain store by gomacro's design (a race detector
		// reports it), read by the executor every few statements.
		e.run.Signals.Async = base.SigInterrupt
	}
	c.setDeadlines(s.reachable(c, e))
	go s.watch(c, e)
}

// watch follows an interrupted cell until it stops: it signals the cell's
// thread while the thread waits in a system call, and abandons the cell
// when it has not stopped in time.
func (s *Session) watch(c *cell, e *executor) {
	timeout := time.NewTimer(s.abandonAfter)
	defer timeout.Stop()
	tick := time.NewTicker(kickEvery)
	defer tick.Stop()
	for {
		if c.isStopped() {
			return
		}
		kickThread(e.thread)
		select {
		case <-tick.C:
		case <-timeout.C:
			s.abandon(c, e)
			return
		}
	}
}

// isStopped reports whether the executor has finished the cell.
func (c *cell) isStopped() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stopped
}

// abandon gives up on a cell that an interrupt could not stop: a fresh
// executor takes over the session, and Run returns an error that says
// what the cell was waiting for.
func (s *Session) abandon(c *cell, e *executor) {
	reason, fn := waitReason(e.goroutine)
	c.mu.Lock()
	if c.stopped {
		c.mu.Unlock()
		return
	}
	e.abandoned.Store(true)
	c.mu.Unlock()
	err := &Error{Kind: Interrupted, Abandoned: true, WaitReason: reason, WaitFunc: fn}
	next, startErr := s.startExecutor()
	s.mu.Lock()
	if startErr != nil {
		s.exec = nil
		err.Message = "and no new goroutine could take over: " + startErr.Error()
	} else if s.exec == e {
		s.exec = next
	}
	s.mu.Unlock()
	c.abandon <- err
}

// A deadliner is a connection, listener or file that a deadline wakes.
type deadliner interface {
	SetDeadline(time.Time) error
}

// setDeadlines gives each of ds a deadline in the past, waking a call
// blocked on it, and remembers them for clearDeadlines.
func (c *cell) setDeadlines(ds []deadliner) {
	past := time.Unix(1, 0)
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, d := range ds {
		if d.SetDeadline(past) == nil {
			c.deadlines = append(c.deadlines, d)
		}
	}
}

// clearDeadlines removes the deadlines the interrupt set, so that the
// connections and listeners work again.
func (c *cell) clearDeadlines() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, d := range c.deadlines {
		d.SetDeadline(time.Time{})
	}
	c.deadlines = nil
}

// reachable returns the connections, listeners and files the interrupted
// cell's code can reach: the globals its source names, and every variable
// of the interpreted functions it is inside. Globals it does not name are
// left alone, so that a server a previous cell started in a goroutine keeps
// its listener undisturbed.
//
// It reads the executor's environments while the executor runs; they are
// the ones of a call that is blocked, which is the case this is for.
func (s *Session) reachable(c *cell, e *executor) []deadliner {
	var found []deadliner
	seen := make(map[any]bool)
	add := func(v reflect.Value) {
		for _, d := range deadliners(v) {
			if !seen[d] {
				seen[d] = true
				found = append(found, d)
			}
		}
	}
	func() {
		defer func() { recover() }() // a name that does not resolve is no candidate
		for _, name := range identifiers(c.code) {
			sym := s.ir.Comp.TryResolve(name)
			if sym == nil || sym.Desc.Class() != fast.VarBind {
				continue
			}
			env := s.fileEnv
			for range sym.Upn {
				env = env.Outer
			}
			if i := sym.Desc.Index(); i >= 0 && i < len(env.Vals) {
				add(env.Vals[i].ReflectValue())
			}
		}
	}()
	if e.run != nil {
		for env := e.run.CurrEnv; env != nil && env != s.fileEnv; env = nextEnv(env) {
			for _, v := range env.Vals {
				add(v.ReflectValue())
			}
		}
	}
	return found
}

// nextEnv steps up the interpreter's call stack: to the caller of a
// function, or out of a nested block to the function around it.
func nextEnv(env *fast.Env) *fast.Env {
	if env.Caller != nil {
		return env.Caller
	}
	if env.Outer != nil && env.Outer.CallDepth == env.CallDepth && env.Outer.Outer != nil {
		return env.Outer
	}
	return nil
}

// deadliners returns what in v a deadline can wake: v itself, or the
// elements of a slice or array of them. The standard streams are left
// alone: the kernel writes its output through them.
func deadliners(v reflect.Value) []deadliner {
	if !v.IsValid() || !v.CanInterface() {
		return nil
	}
	switch v.Kind() {
	case reflect.Slice, reflect.Array:
		var ds []deadliner
		for i := range min(v.Len(), 1024) {
			ds = append(ds, deadliners(v.Index(i))...)
		}
		return ds
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return nil
		}
	}
	x := v.Interface()
	if f, ok := x.(*os.File); ok && (f == os.Stdin || f == os.Stdout || f == os.Stderr) {
		return nil
	}
	if d, ok := x.(deadliner); ok {
		return []deadliner{d}
	}
	return nil
}

// identifiers returns the distinct identifiers in code.
func identifiers(code string) []string {
	var sc scanner.Scanner
	fset := token.NewFileSet()
	f := fset.AddFile("cell", -1, len(code))
	sc.Init(f, []byte(code), func(token.Position, string) {}, 0)
	seen := make(map[string]bool)
	var names []string
	for {
		_, tok, lit := sc.Scan()
		if tok == token.EOF {
			return names
		}
		if tok == token.IDENT && !seen[lit] {
			seen[lit] = true
			names = append(names, lit)
		}
	}
}
