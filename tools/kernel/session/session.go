// Package session runs notebook cells of Go in one gomacro interpreter, in
// order, sharing its state, and can always stop the cell that runs without
// losing that state.
//
// Interrupt stops a cell by every means that applies, all at once:
//
//   - the interpreter's own interrupt flag, which interpreted code checks
//     every few statements (a CPU loop in cell code);
//   - the cell's context, the predeclared variable ctx, is cancelled (a
//     server's Serve(ctx) in the foreground);
//   - every connection or listener the cell's code can reach gets a
//     deadline in the past, cleared again when the cell has stopped
//     (Accept, Read, Write, ReadFrom blocked in the network poller);
//   - on Linux, the cell's OS thread gets a signal while it waits in a
//     system call, which ends waits such as epoll_wait, poll and select
//     with EINTR;
//   - time.Sleep, as cells call it, returns early.
//
// If the cell has not stopped after Options.AbandonAfter (a receive from a
// channel, select {}, a WaitGroup, a system call that restarts after a
// signal), it is abandoned: Run returns an interrupted error saying so, the
// next cell runs on a fresh goroutine, and the abandoned goroutine ends at
// its next interrupt check once the call it waits in returns. Goroutines a
// cell started with go are never interrupted: they are the notebook's
// servers and keep running.
package session

import (
	"context"
	"fmt"
	"go/ast"
	"go/token"
	"io"
	"reflect"
	"strconv"
	"sync"
	"time"

	"github.com/cosmos72/gomacro/ast2"
	"github.com/cosmos72/gomacro/base"
	basereflect "github.com/cosmos72/gomacro/base/reflect"
	"github.com/cosmos72/gomacro/fast"
	"github.com/cosmos72/gomacro/go/etoken"
	"github.com/cosmos72/gomacro/imports"
	xr "github.com/cosmos72/gomacro/xreflect"
)

// ContextName is the predeclared variable that holds the running cell's
// context.
const ContextName = "ctx"

// Options configure a Session.
type Options struct {
	// AbandonAfter is how long an interrupted cell may take to stop
	// before it is abandoned; zero means DefaultAbandonAfter.
	AbandonAfter time.Duration
	// Log receives the interpreter's warnings (nil discards them).
	Log io.Writer
}

// DefaultAbandonAfter is the default Options.AbandonAfter: long enough for
// a woken server to finish its shutdown, short enough that an interrupt
// feels immediate.
const DefaultAbandonAfter = 100 * time.Millisecond

// A Session is one interpreter and the cells run in it. Run, Lookup and
// Complete must not be called concurrently with each other; Interrupt may
// be called at any time from any goroutine.
type Session struct {
	ir           *fast.Interp
	fileEnv      *fast.Env // the interpreter's globals
	abandonAfter time.Duration
	ctxType      xr.Type
	bindRun      func(*fast.Env) // runs the compiled bind expression
	captured     chan *fast.Run  // what bindRun hands over

	base   context.Context // parent of every cell's context
	cancel context.CancelFunc

	mu      sync.Mutex
	exec    *executor // runs the next cell
	running *cell     // the cell running now, if any
	sources sources   // every cell's source, for tracebacks
}

// New starts a session. Call Close when done.
func New(opts Options) (*Session, error) {
	if opts.AbandonAfter <= 0 {
		opts.AbandonAfter = DefaultAbandonAfter
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	ir := fast.New()
	ir.Comp.Stdout = opts.Log
	ir.Comp.Stderr = opts.Log
	// Panics are the cell's result, not something to print and forget.
	ir.Comp.Options &^= base.OptTrapPanic | base.OptShowPrompt
	s := &Session{
		ir:           ir,
		fileEnv:      ir.PrepareEnv(),
		abandonAfter: opts.AbandonAfter,
		ctxType:      ir.Comp.TypeOf((*context.Context)(nil)).Elem(),
		captured:     make(chan *fast.Run, 1),
	}
	s.base, s.cancel = context.WithCancel(context.Background())
	if err := s.declare(); err != nil {
		s.cancel()
		return nil, err
	}
	e, err := s.startExecutor()
	if err != nil {
		s.cancel()
		return nil, err
	}
	s.exec = e
	return s, nil
}

// declare predeclares ctx and compiles the expression that hands a new
// executor its interpreter state.
func (s *Session) declare() (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("session: set up the interpreter: %v", p)
		}
	}()
	s.ir.DeclVar(ContextName, s.ctxType, s.base)
	// A Function gets the *Interp of its caller, whose Env belongs to the
	// goroutine that runs it: that is how a goroutine of ours obtains
	// the interpreter's per-goroutine state, made the interpreter's way.
	s.ir.DeclEnvFunc("sockbook_bindRun_", fast.Function{
		Fun: func(caller any) {
			s.captured <- caller.(*fast.Interp).PrepareEnv().Run
		},
		Type: s.ir.Comp.TypeOf(func(any) {}),
	})
	expr := s.ir.Compile("(func() { sockbook_bindRun_() })()")
	run := expr.AsX()
	s.bindRun = func(env *fast.Env) { run(env) }
	s.installSleep()
	return nil
}

// Interp returns the interpreter, for declaring what a kernel adds (a
// display function, say). Use it only between cells.
func (s *Session) Interp() *fast.Interp { return s.ir }

// Close cancels every cell's context, stops the cell that runs, if any,
// and ends the session's goroutines (an abandoned one ends when its call
// returns).
func (s *Session) Close() error {
	s.Interrupt()
	s.cancel()
	s.mu.Lock()
	e := s.exec
	s.exec = nil
	s.mu.Unlock()
	if e != nil {
		close(e.jobs)
	}
	return nil
}

// A Result is what running a cell gave.
type Result struct {
	// Values and Types are the values of the cell's final expression,
	// if it ends with one and it has any values.
	Values []any
	Types  []xr.Type
	// Err is why the cell failed, or nil.
	Err *Error
}

// Run runs code as cell number count: parses and compiles it, runs it with
// a fresh ctx, and returns when it has ended, been interrupted or been
// abandoned.
func (s *Session) Run(code string, count int) Result {
	s.mu.Lock()
	e := s.exec
	if e == nil {
		s.mu.Unlock()
		return Result{Err: &Error{Kind: Interrupted, Message: "the session is closed"}}
	}
	ctx, cancel := context.WithCancel(s.base)
	c := &cell{
		code:    code,
		count:   count,
		ctx:     ctx,
		cancel:  cancel,
		done:    make(chan Result, 1),
		wake:    make(chan struct{}),
		abandon: make(chan *Error, 1),
		exec:    e,
	}
	s.running = c
	s.mu.Unlock()

	e.jobs <- c
	var r Result
	select {
	case r = <-c.done:
	case err := <-c.abandon:
		r = Result{Err: err}
	}
	s.mu.Lock()
	s.running = nil
	s.mu.Unlock()
	c.clearDeadlines()
	return r
}

// cell is one run of a cell's code.
type cell struct {
	code   string
	count  int
	ctx    context.Context
	cancel context.CancelFunc
	exec   *executor

	done    chan Result // the executor's result
	abandon chan *Error // the interrupt's verdict when the executor is stuck

	interruptOnce sync.Once
	wake          chan struct{} // closed by Interrupt: wakes sleeps
	stopped       bool          // the executor has finished it (mu)

	mu        sync.Mutex
	deadlines []deadliner // set by the interrupt, cleared after the cell
}

// isInterrupted reports whether the cell has been interrupted.
func (c *cell) isInterrupted() bool {
	select {
	case <-c.wake:
		return true
	default:
		return false
	}
}

// execute runs c on the calling goroutine, the executor's: this is
// Interp.RunExpr, done by hand so that the interpreter's call stack is
// still there when a panic is recovered.
func (s *Session) execute(e *executor, c *cell) (res Result) {
	phase := compiling
	defer func() {
		if p := recover(); p != nil {
			res = Result{Err: s.newError(phase, p, e.run, c)}
		}
		e.run.CurrEnv = nil
	}()
	if c.isInterrupted() {
		return Result{Err: &Error{Kind: Interrupted, Message: "interrupted before it started"}}
	}
	code, err := s.special(c)
	if err != nil {
		return Result{Err: err}
	}
	comp := s.ir.Comp
	comp.Line = 0
	nodes := comp.ParseBytes([]byte(code))
	s.sources.add(comp.Fileset, nodes, c.count, code)
	src := ast2.AnyToAst(nodes, "cell")
	if src == nil {
		return Result{}
	}
	endsWithExpr := false
	if len(nodes) > 0 {
		_, endsWithExpr = nodes[len(nodes)-1].(ast.Expr)
	}
	if err := s.checkImports(nodes, c); err != nil {
		return Result{Err: err}
	}
	s.setContext(c.ctx)
	expr := s.ir.CompileAst(src)
	if expr == nil {
		return Result{}
	}

	phase = running
	env := s.ir.PrepareEnv() // clears the interrupt flag: set it again if due
	if c.isInterrupted() {
		env.Run.Signals.Async = base.SigInterrupt
	}
	if comp.Options&base.OptKeepUntyped == 0 && expr.Untyped() {
		expr.ConstTo(expr.DefaultType())
	}
	e.run.CurrEnv = env
	v, vs := expr.AsXV(fast.COptKeepUntyped)(env)
	if c.isInterrupted() {
		// The interrupt woke a call, which returned an error the cell
		// may have ignored: the cell still ends interrupted.
		return Result{Err: &Error{Kind: Interrupted, Frames: s.frames(e.run, c)}}
	}
	if !endsWithExpr {
		return Result{}
	}
	values := basereflect.PackValues(v, vs)
	types := basereflect.PackTypes(expr.Type, expr.Types)
	res.Types = types
	nonNil := 0
	for _, val := range values {
		x := basereflect.ValueInterface(val)
		if x != nil {
			nonNil++
		}
		res.Values = append(res.Values, x)
	}
	if nonNil == 0 {
		return Result{}
	}
	return res
}

// checkImports fails a cell that imports a package the kernel has no
// table for. The interpreter would try to build it as a plugin, which
// needs a Go toolchain and the network, and fail with noise.
func (s *Session) checkImports(nodes []ast.Node, c *cell) *Error {
	for _, n := range nodes {
		decl, ok := n.(*ast.GenDecl)
		if !ok || decl.Tok != token.IMPORT {
			continue
		}
		for _, spec := range decl.Specs {
			is, ok := spec.(*ast.ImportSpec)
			if !ok {
				continue
			}
			path, err := strconv.Unquote(is.Path.Value)
			if err != nil {
				continue // the compiler says why
			}
			if _, linked := imports.Packages[path]; !linked {
				p := s.ir.Comp.Fileset.Position(is.Path.Pos())
				return &Error{
					Kind:    CompileError,
					Message: fmt.Sprintf("package %s is not linked into the kernel; only linked packages can be imported (see tools/kernel/gen.go)", path),
					Frames:  []Frame{c.frameAt(p.Line, p.Column)},
				}
			}
		}
	}
	return nil
}

// setContext makes ctx the cell's context. A cell may have declared a
// variable of that name with another type: the kernel's declaration then
// replaces it, as a new declaration in a cell would.
func (s *Session) setContext(ctx context.Context) {
	if sym := s.ir.Comp.TryResolve(ContextName); sym != nil && sym.Desc.Class() == fast.VarBind && sym.Type != nil && sym.Type.IdenticalTo(s.ctxType) {
		env := s.fileEnv
		for range sym.Upn {
			env = env.Outer
		}
		if v := env.Vals[sym.Desc.Index()]; v.IsValid() && v.CanSet() {
			v.Set(xr.ValueOf(&ctx).Elem())
			return
		}
	}
	s.ir.DeclVar(ContextName, s.ctxType, ctx)
}

// A Binding is what a name means in the session: a package, a variable, a
// constant, a function or a type.
type Binding struct {
	Name string
	Kind BindingKind
	// Path is the import path, for a package.
	Path string
	// Type is the declared type, for everything but packages.
	Type xr.Type
	// Value is the value, for variables, constants and functions.
	Value reflect.Value
}

// BindingKind says what a Binding is.
type BindingKind int

// The kinds of Binding.
const (
	Package BindingKind = iota + 1
	Variable
	Constant
	Function
	TypeName
)

// Lookup returns what name means at the top level of the session. Call it
// between cells.
func (s *Session) Lookup(name string) (b Binding, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	comp := s.ir.Comp
	if sym := comp.TryResolve(name); sym != nil {
		b = Binding{Name: name, Type: sym.Type}
		if imp, isImport := sym.Value.(*fast.Import); isImport {
			return Binding{Name: name, Kind: Package, Path: imp.Path}, true
		}
		switch sym.Desc.Class() {
		case fast.ConstBind:
			b.Kind = Constant
		case fast.FuncBind:
			b.Kind = Function
		default:
			b.Kind = Variable
		}
		if v := s.ir.ValueOf(name); v.IsValid() {
			b.Value = v.ReflectValue()
		}
		return b, true
	}
	if t := comp.TryResolveType(name); t != nil {
		return Binding{Name: name, Kind: TypeName, Type: t}, true
	}
	return Binding{}, false
}

// Complete returns completions of the identifier or selector before pos (a
// byte offset) in line: the candidates for its last name, and where that
// name starts.
func (s *Session) Complete(line string, pos int) (start int, matches []string) {
	head, completions, _ := s.ir.CompleteWords(line, pos)
	if len(completions) == 0 {
		return pos, nil
	}
	// head ends where the completed name begins.
	return len(head) - len(fast.TailIdentifier(head)), completions
}

// phase says what a cell was doing when it failed.
type phase int

const (
	compiling phase = iota
	running
)

// sources remembers the cells' sources by the file the interpreter's
// positions point into, so that a traceback can name the cell and quote
// the line, whichever cell the function was declared in.
type sources struct {
	mu    sync.Mutex
	files map[int]source // by token.File base
}

type source struct {
	count int
	lines []string
	funcs []funcSpan
}

// funcSpan is where a function of a cell is: its name and extent.
type funcSpan struct {
	name       string
	start, end token.Pos
}

func (s *sources) add(fset *etoken.FileSet, nodes []ast.Node, count int, code string) {
	if len(nodes) == 0 || !nodes[0].Pos().IsValid() {
		return
	}
	f := fset.File(nodes[0].Pos())
	if f == nil {
		return
	}
	src := source{count: count, lines: splitLines(code)}
	for _, n := range nodes {
		ast.Inspect(n, func(n ast.Node) bool {
			switch fn := n.(type) {
			case *ast.FuncDecl:
				name := fn.Name.Name
				if fn.Recv != nil && len(fn.Recv.List) > 0 {
					name = "(" + exprString(fn.Recv.List[0].Type) + ")." + name
				}
				src.funcs = append(src.funcs, funcSpan{name, fn.Pos(), fn.End()})
			case *ast.FuncLit:
				src.funcs = append(src.funcs, funcSpan{"func literal", fn.Pos(), fn.End()})
			}
			return true
		})
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.files == nil {
		s.files = make(map[int]source)
	}
	s.files[f.Base()] = src
}

// locate turns an interpreter position into a frame: cell, line, column,
// the innermost function around it and the source line.
func (s *sources) locate(fset *etoken.FileSet, pos token.Pos) (Frame, bool) {
	if !pos.IsValid() {
		return Frame{}, false
	}
	f := fset.File(pos)
	if f == nil {
		return Frame{}, false
	}
	p := fset.Position(pos)
	s.mu.Lock()
	src, ok := s.files[f.Base()]
	s.mu.Unlock()
	fr := Frame{Line: p.Line, Column: p.Column}
	if !ok {
		return fr, true
	}
	fr.Cell = src.count
	if p.Line >= 1 && p.Line <= len(src.lines) {
		fr.Source = src.lines[p.Line-1]
	}
	var best funcSpan
	for _, fn := range src.funcs {
		if fn.start <= pos && pos < fn.end && fn.start >= best.start {
			best = fn
		}
	}
	fr.Func = best.name
	return fr, true
}

// PackageMember returns what name means in the imported package path:
// its type, for a function, variable or constant. The package must have
// been imported by a cell.
func (s *Session) PackageMember(path, name string) (Binding, bool) {
	imp := s.ir.Comp.CompGlobals.KnownImports[path]
	if imp == nil {
		return Binding{}, false
	}
	bind, ok := imp.Binds[name]
	if !ok {
		if t, ok := imp.Types[name]; ok {
			return Binding{Name: name, Kind: TypeName, Type: t}, true
		}
		return Binding{}, false
	}
	b := Binding{Name: name, Type: bind.Type, Kind: Variable}
	switch bind.Desc.Class() {
	case fast.ConstBind:
		b.Kind = Constant
	case fast.FuncBind:
		b.Kind = Function
	}
	return b, true
}
