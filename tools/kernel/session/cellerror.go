package session

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/scanner"
	"regexp"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/cosmos72/gomacro/base"
	"github.com/cosmos72/gomacro/base/output"
	"github.com/cosmos72/gomacro/fast"
)

// Kind says what kind of failure ended a cell.
type Kind int

// The kinds of Error.
const (
	// CompileError: the cell did not parse or type-check, or an import
	// failed. Nothing of it ran.
	CompileError Kind = iota + 1
	// Panic: the cell's code, or code it called, panicked with a value.
	Panic
	// RuntimeError: a run-time check failed (index out of range, nil map
	// write, nil dereference, failed type assertion).
	RuntimeError
	// Interrupted: the cell was interrupted, and stopped or was
	// abandoned.
	Interrupted
)

// String returns the kind as an error name: "compile error", "panic",
// "runtime error", "interrupted".
func (k Kind) String() string {
	switch k {
	case CompileError:
		return "compile error"
	case Panic:
		return "panic"
	case RuntimeError:
		return "runtime error"
	case Interrupted:
		return "interrupted"
	}
	return "error"
}

// An Error is why a cell failed, with where: the cell lines of the
// interpreted calls it was in, innermost first, and for a panic that began
// in compiled code, the Go frames of that code.
type Error struct {
	Kind    Kind
	Message string
	// ValueType is the type of the panic value, for Panic.
	ValueType string
	Frames    []Frame
	GoFrames  []GoFrame
	// Abandoned is set for an interrupted cell that did not stop: its
	// goroutine was left waiting, in WaitFunc, for WaitReason.
	Abandoned  bool
	WaitReason string
	WaitFunc   string
}

// A Frame is a place in a cell: which cell (its execution count, 0 if
// unknown), line and column (from 1), the function around it and the text
// of the line.
type Frame struct {
	Cell, Line, Column int
	Func               string
	Source             string
}

// A GoFrame is a frame of compiled Go code.
type GoFrame struct {
	Func string
	File string
	Line int
}

// Name is the error's name as Jupyter's ename: the kind, and for a panic
// the type of its value, as in "panic (string)".
func (e *Error) Name() string {
	if e.Kind == Panic && e.ValueType != "" {
		return "panic (" + e.ValueType + ")"
	}
	return e.Kind.String()
}

// Value is the error's message as Jupyter's evalue.
func (e *Error) Value() string {
	if e.Kind != Interrupted {
		return e.Message
	}
	msg := "the cell was interrupted"
	if e.Abandoned {
		waiting := "waiting"
		if e.WaitReason != "" {
			waiting += " (" + e.WaitReason
			if e.WaitFunc != "" {
				waiting += " in " + e.WaitFunc
			}
			waiting += ")"
		}
		msg += " while " + waiting + " and could not be woken: it was abandoned, and its goroutine ends when that wait does; the kernel runs the next cell on a new goroutine, with every variable kept"
	}
	if e.Message != "" {
		msg += "; " + e.Message
	}
	return msg
}

// Error returns "name: value".
func (e *Error) Error() string { return e.Name() + ": " + e.Value() }

// Traceback returns the lines a front end shows: the error in red, each
// frame with its cell, line, column and function, the source line with a
// caret under the column, then the compiled frames.
func (e *Error) Traceback() []string {
	const red, bold, reset = "\x1b[31m", "\x1b[1m", "\x1b[0m"
	lines := []string{red + bold + e.Name() + reset + ": " + e.Value()}
	for _, f := range e.Frames {
		where := "line " + strconv.Itoa(f.Line) + ":" + strconv.Itoa(f.Column)
		if f.Cell > 0 {
			where = "cell [" + strconv.Itoa(f.Cell) + "], " + where
		}
		if f.Func != "" {
			where += ", in " + f.Func
		}
		lines = append(lines, "  "+where)
		if f.Source != "" {
			lines = append(lines, "      "+f.Source)
			if f.Column > 0 {
				lines = append(lines, "      "+caret(f.Source, f.Column))
			}
		}
	}
	if len(e.GoFrames) > 0 {
		lines = append(lines, "  in compiled code:")
		for _, g := range e.GoFrames {
			lines = append(lines, "      "+g.Func, "          "+g.File+":"+strconv.Itoa(g.Line))
		}
	}
	return lines
}

// caret returns a line that puts ^ under byte column col of src, keeping
// its tabs so that the caret lines up.
func caret(src string, col int) string {
	var b strings.Builder
	for i, r := range src {
		if i >= col-1 {
			break
		}
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String() + "^"
}

// errPosition matches the position gomacro puts before its compile errors.
var errPosition = regexp.MustCompile(`^\S+?:(\d+):(\d+): `)

// newError turns what a cell panicked with into an Error. It runs inside
// the executor's deferred recover, before the interpreter's call stack is
// reset.
func (s *Session) newError(ph phase, p any, run *fast.Run, c *cell) *Error {
	stack := debug.Stack()
	interrupted := c.isInterrupted()
	e := &Error{}
	switch {
	case interrupted || isInterruptSignal(p):
		e.Kind = Interrupted
		if !isInterruptSignal(p) {
			e.Message = "it then panicked: " + panicText(p)
		}
	case ph == compiling:
		e.Kind = CompileError
		e.Message, e.Frames = s.compileMessage(p, c)
		return e
	case isRuntimeError(p):
		e.Kind = RuntimeError
		e.Message = strings.TrimPrefix(panicText(p), "runtime error: ")
	default:
		e.Kind = Panic
		e.Message = panicText(p)
		e.ValueType = fmt.Sprintf("%T", p)
	}
	e.Frames = s.frames(run, c)
	if e.Kind != Interrupted {
		e.GoFrames = compiledFrames(stack)
	}
	return e
}

// isInterruptSignal reports whether p is the interpreter's interrupt or an
// interrupted sleep.
func isInterruptSignal(p any) bool {
	switch p := p.(type) {
	case base.Signal:
		return p == base.SigInterrupt
	case interruptedSleep:
		return true
	}
	return false
}

// panicText returns the text of a panic value, as Go prints it.
func panicText(p any) string {
	switch p := p.(type) {
	case error:
		return p.Error()
	case fmt.Stringer:
		return p.String()
	case string:
		return p
	}
	return fmt.Sprint(p)
}

// isRuntimeError reports whether p is a failed run-time check: a
// runtime.Error, or the panic reflect raises for the checks the
// interpreter leaves to it ("reflect: slice index out of range").
func isRuntimeError(p any) bool {
	var re runtime.Error
	if err, ok := p.(error); ok && errors.As(err, &re) {
		return true
	}
	if msg, ok := p.(string); ok && strings.HasPrefix(msg, "reflect: ") {
		return true
	}
	if _, ok := p.(output.RuntimeError); ok {
		return true // a check the interpreter makes itself at run time
	}
	return false
}

// compileMessage returns the message of a compile error and its position.
func (s *Session) compileMessage(p any, c *cell) (string, []Frame) {
	var list scanner.ErrorList
	if err, ok := p.(error); ok && errors.As(err, &list) && len(list) > 0 {
		first := list[0]
		msg := first.Msg
		if len(list) > 1 {
			msg += fmt.Sprintf(" (and %d more)", len(list)-1)
		}
		return msg, []Frame{c.frameAt(first.Pos.Line, first.Pos.Column)}
	}
	msg := panicText(p)
	if m := errPosition.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		col, _ := strconv.Atoi(m[2])
		return msg[len(m[0]):], []Frame{c.frameAt(line, col)}
	}
	return msg, nil
}

// frameAt returns the frame for a line and column of c.
func (c *cell) frameAt(line, col int) Frame {
	f := Frame{Cell: c.count, Line: line, Column: col}
	if lines := splitLines(c.code); line >= 1 && line <= len(lines) {
		f.Source = lines[line-1]
	}
	return f
}

// frames returns the cell positions of the interpreter's call stack, from
// the innermost call to the cell's top level.
func (s *Session) frames(run *fast.Run, c *cell) []Frame {
	if run == nil {
		return nil
	}
	fset := s.ir.Comp.Fileset
	var frames []Frame
	sawTop := false
	var prev *fast.Env
	for env := run.CurrEnv; env != nil; env = nextEnv(env) {
		// A block's function: the block's statement said more.
		if prev != nil && prev.Caller == nil && env.CallDepth == prev.CallDepth && env != s.fileEnv {
			prev = env
			continue
		}
		prev = env
		if env.IP >= 0 && env.IP < len(env.DebugPos) {
			if f, ok := s.sources.locate(fset, env.DebugPos[env.IP]); ok {
				frames = append(frames, f)
				sawTop = sawTop || env == s.fileEnv
			}
		}
	}
	if !sawTop && len(frames) == 0 {
		return nil
	}
	return frames
}

// compiledFrames returns the frames of compiled code in which a panic
// began, innermost first, from a stack trace taken while it unwinds: the
// frames right above the panic, up to the interpreter.
func compiledFrames(stack []byte) []GoFrame {
	lines := bytes.Split(stack, []byte("\n"))
	// Frames are pairs of lines: "function(args)" then "\tfile:line +off".
	start := -1
	for i := 1; i+1 < len(lines); i += 2 {
		if bytes.HasPrefix(lines[i], []byte("panic(")) {
			start = i + 2
		}
	}
	if start < 0 {
		return nil
	}
	var frames []GoFrame
	for i := start; i+1 < len(lines); i += 2 {
		fn := string(lines[i])
		if p := strings.LastIndexByte(fn, '('); p > 0 {
			fn = fn[:p]
		}
		if strings.HasPrefix(fn, "runtime.") {
			continue
		}
		if strings.HasPrefix(fn, "reflect.") || strings.HasPrefix(fn, "github.com/cosmos72/gomacro/") {
			break
		}
		loc := strings.TrimSpace(string(lines[i+1]))
		if sp := strings.LastIndexByte(loc, ' '); sp > 0 {
			loc = loc[:sp]
		}
		g := GoFrame{Func: fn, File: loc}
		if c := strings.LastIndexByte(loc, ':'); c > 0 {
			g.File = loc[:c]
			g.Line, _ = strconv.Atoi(loc[c+1:])
		}
		frames = append(frames, g)
	}
	return frames
}

// splitLines splits code into lines without their line endings.
func splitLines(code string) []string {
	code = strings.ReplaceAll(code, "\r\n", "\n")
	return strings.Split(code, "\n")
}

// exprString prints a receiver type: T or *T.
func exprString(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.StarExpr:
		return "*" + exprString(e.X)
	case *ast.IndexExpr:
		return exprString(e.X)
	}
	return "?"
}
