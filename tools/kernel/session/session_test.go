// gomacro predates materialised type aliases in go/types.
//go:debug gotypesalias=0

package session

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMain runs the tests as the kernel runs: with a GOROOT that does not
// exist, which keeps gomacro from loading Go sources with go/types (and
// printing warnings) when a table is imported. The tables are gomacro's
// built-in ones of the standard packages: the generated tables, of
// golang.org/x/sys/unix and pkg/, exist only in the kernel binary (see
// tools/kernel/buildkernel.go), and cells that need them are tested
// against it, in tools/kernel.
func TestMain(m *testing.M) {
	os.Setenv("GOROOT", "/nonexistent/sockbook-kernel-needs-no-goroot")
	os.Exit(m.Run())
}

func newSession(t *testing.T) *Session {
	t.Helper()
	s, err := New(Options{})
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

// run runs a cell that must succeed and returns its first value.
func run(t *testing.T, s *Session, code string) any {
	t.Helper()
	r := s.Run(code, 0)
	require.Nil(t, r.Err, "cell %q", code)
	if len(r.Values) == 0 {
		return nil
	}
	return r.Values[0]
}

func TestStateCarriesOver(t *testing.T) {
	s := newSession(t)
	run(t, s, "x := 41")
	assert.Equal(t, 42, run(t, s, "x + 1"))
	run(t, s, "func double(n int) int { return 2 * n }")
	assert.Equal(t, 84, run(t, s, "double(x + 1)"))
	r := s.Run("import \"fmt\"\nfmt.Sprint(x)", 0)
	require.Nil(t, r.Err)
	assert.Equal(t, []any{"41"}, r.Values)
	// A statement has no value; neither have values that are all nil.
	assert.Nil(t, run(t, s, "x++"))
	assert.Nil(t, run(t, s, "var e error; e"))
}

func TestContextIsFreshPerCell(t *testing.T) {
	s := newSession(t)
	run(t, s, `import "context"`)
	run(t, s, "first := ctx")
	assert.Equal(t, true, run(t, s, "first != ctx && ctx.Err() == nil"))
	// A cell may shadow ctx with anything; the next cell has its context
	// again.
	run(t, s, "ctx := 5; _ = ctx")
	assert.Equal(t, true, run(t, s, "ctx.Err() == nil"))
}

func TestCompileErrors(t *testing.T) {
	s := newSession(t)
	for _, tc := range []struct {
		code, msg      string
		line, col      int
		sourceContains string
	}{
		{"x := )(", "expected operand, found ')'", 1, 6, "x := )("},
		{"a := 1\nb := undefinedThing + a", "undefined identifier: undefinedThing", 2, 6, "undefinedThing"},
		{`import "no/such/package"`, "package no/such/package is not linked into the kernel", 1, 8, `"no/such/package"`},
	} {
		r := s.Run(tc.code, 7)
		require.NotNil(t, r.Err, tc.code)
		assert.Equal(t, CompileError, r.Err.Kind, tc.code)
		assert.Equal(t, "compile error", r.Err.Name())
		assert.Contains(t, r.Err.Value(), tc.msg, tc.code)
		if tc.sourceContains == "" {
			continue
		}
		require.NotEmpty(t, r.Err.Frames, tc.code)
		f := r.Err.Frames[0]
		assert.Equal(t, Frame{Cell: 7, Line: tc.line, Column: tc.col, Source: f.Source}, f, tc.code)
		assert.Contains(t, f.Source, tc.sourceContains)
	}
}

func TestPanicsSayWhatAndWhere(t *testing.T) {
	s := newSession(t)
	r := s.Run("func boom() {\n\tpanic(\"boom\")\n}\nfunc outer() { boom() }", 3)
	require.Nil(t, r.Err)
	r = s.Run("x := 1\nouter()", 4)
	require.NotNil(t, r.Err)
	assert.Equal(t, Panic, r.Err.Kind)
	assert.Equal(t, "panic (string)", r.Err.Name())
	assert.Equal(t, "boom", r.Err.Value())
	require.GreaterOrEqual(t, len(r.Err.Frames), 2)
	assert.Equal(t, Frame{Cell: 3, Line: 2, Column: 2, Func: "boom", Source: "\tpanic(\"boom\")"}, r.Err.Frames[0])
	assert.Equal(t, Frame{Cell: 3, Line: 4, Column: 16, Func: "outer", Source: "func outer() { boom() }"}, r.Err.Frames[1])
	tb := strings.Join(r.Err.Traceback(), "\n")
	assert.Contains(t, tb, "cell [3], line 2:2, in boom")
	assert.Contains(t, tb, "\t^", "a caret under the column, tab kept")

	r = s.Run(`import "errors"; panic(errors.New("an error value"))`, 5)
	require.NotNil(t, r.Err)
	assert.Equal(t, "panic (*errors.errorString)", r.Err.Name())
	assert.Equal(t, "an error value", r.Err.Value())
}

func TestRuntimeErrors(t *testing.T) {
	s := newSession(t)
	for _, code := range []string{
		`var m map[string]int; m["a"] = 1`,
		`s := []int{1}; i := 5; _ = s[i]`,
	} {
		r := s.Run(code, 1)
		require.NotNil(t, r.Err, code)
		assert.Equal(t, RuntimeError, r.Err.Kind, "%s: %v", code, r.Err)
	}
	// A panic in compiled code names the Go frames where it began.
	r := s.Run("import \"encoding/binary\"\nbinary.BigEndian.Uint32([]byte{1})", 2)
	require.NotNil(t, r.Err)
	assert.Equal(t, RuntimeError, r.Err.Kind)
	assert.Equal(t, "index out of range [3] with length 1", r.Err.Value())
	require.NotEmpty(t, r.Err.GoFrames)
	assert.Equal(t, "encoding/binary.bigEndian.Uint32", r.Err.GoFrames[0].Func)
	assert.Contains(t, r.Err.GoFrames[0].File, "binary.go")
}

func TestSpecialCommands(t *testing.T) {
	s := newSession(t)
	dir := t.TempDir()
	wd, err := os.Getwd()
	require.NoError(t, err)
	t.Cleanup(func() { os.Chdir(wd) })
	r := s.Run(fmt.Sprintf("%%cd %s\nimport \"os\"\nos.Getwd()", dir), 1)
	require.Nil(t, r.Err)
	assert.Equal(t, dir, r.Values[0])
	r = s.Run("%nope", 2)
	require.NotNil(t, r.Err)
	assert.Contains(t, r.Err.Value(), "unknown command")
}

// interruptAfter runs code, interrupts it after wait, and returns the
// result and how long the interrupt took to return control.
func interruptAfter(t *testing.T, s *Session, code string, wait time.Duration) (Result, time.Duration) {
	t.Helper()
	done := make(chan Result, 1)
	go func() { done <- s.Run(code, 9) }()
	select {
	case r := <-done:
		t.Fatalf("cell %q ended before the interrupt: %+v", code, r.Err)
	case <-time.After(wait):
	}
	start := time.Now()
	s.Interrupt()
	select {
	case r := <-done:
		return r, time.Since(start)
	case <-time.After(5 * time.Second):
		t.Fatalf("cell %q not stopped 5 s after the interrupt", code)
	}
	return Result{}, 0
}

func TestComplete(t *testing.T) {
	s := newSession(t)
	run(t, s, `import "strings"; var counter int`)
	start, matches := s.Complete("x := strings.HasPre", len("x := strings.HasPre"))
	assert.Equal(t, len("x := strings."), start)
	assert.Equal(t, []string{"HasPrefix"}, matches)
	start, matches = s.Complete("coun", 4)
	assert.Equal(t, 0, start)
	assert.Contains(t, matches, "counter")
}

func TestLookup(t *testing.T) {
	s := newSession(t)
	run(t, s, `import ("net"; "encoding/binary"); ln, _ := net.Listen("tcp", "127.0.0.1:0"); const c = 3; type T struct{ A int }`)
	b, ok := s.Lookup("net")
	require.True(t, ok)
	assert.Equal(t, Binding{Name: "net", Kind: Package, Path: "net"}, b)
	b, ok = s.Lookup("ln")
	require.True(t, ok)
	assert.Equal(t, Variable, b.Kind)
	assert.Equal(t, "net.Listener", b.Type.String())
	assert.Equal(t, "*net.TCPListener", b.Value.Elem().Type().String())
	b, ok = s.Lookup("c")
	require.True(t, ok)
	assert.Equal(t, Constant, b.Kind)
	b, ok = s.Lookup("T")
	require.True(t, ok)
	assert.Equal(t, TypeName, b.Kind)
	_, ok = s.Lookup("nope")
	assert.False(t, ok)
	m, ok := s.PackageMember("encoding/binary", "BigEndian")
	require.True(t, ok)
	assert.Equal(t, Variable, m.Kind)
	run(t, s, "ln.Close()")
}
