// gomacro predates materialised type aliases in go/types.
//go:debug gotypesalias=0

package gokernel

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/sockbook/sockbook/tools/jupyter"
	"github.com/sockbook/sockbook/tools/kernel/capture"
	"github.com/sockbook/sockbook/tools/kernel/session"
)

// TestMain runs as the kernel does, with a GOROOT that does not exist (no
// go/types loading), and fails if goroutines outlive the tests. zmq4's PUB
// socket never ends its writer goroutine.
func TestMain(m *testing.M) {
	os.Setenv("GOROOT", "/nonexistent/sockbook-kernel-needs-no-goroot")
	goleak.VerifyTestMain(m, goleak.IgnoreAnyFunction("github.com/go-zeromq/zmq4.(*pubMWriter).run"))
}

// startKernel serves a Kernel in this process, its output captured from
// the os.Stdout and os.Stderr variables, and connects a client. It has
// gomacro's built-in tables of the standard packages and no docs: the
// generated tables and docs.json exist only in the kernel binary (see
// tools/kernel/buildkernel.go), so what needs them (inspecting and
// completing pkg/ names, documentation) is tested against it, in
// tools/kernel.
func startKernel(t *testing.T) *jupyter.Client {
	t.Helper()
	info, err := jupyter.NewConnectionInfo()
	require.NoError(t, err)
	var srv *jupyter.Server
	ready := make(chan struct{})
	out, err := capture.Start(capture.Variables, func(stream, text string) {
		<-ready
		srv.Stream(stream, text)
	})
	require.NoError(t, err)
	sess, err := session.New(session.Options{})
	require.NoError(t, err)
	k := New(sess, Config{Flush: out.Flush, SiteURL: "http://localhost:8000/"})
	srv = jupyter.NewServer(info, k, nil)
	close(ready)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-done
		sess.Close()
		out.Close()
	})
	dctx, dcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer dcancel()
	c, err := jupyter.Dial(dctx, info)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

func execute(t *testing.T, c *jupyter.Client, code string) *jupyter.Execution {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ex, err := c.Execute(ctx, code)
	require.NoError(t, err, code)
	return ex
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestKernelInfo(t *testing.T) {
	c := startKernel(t)
	ki, err := c.KernelInfo(testContext(t))
	require.NoError(t, err)
	assert.Equal(t, "ok", ki.Status)
	assert.Equal(t, "5.3", ki.ProtocolVersion)
	assert.Equal(t, "sockbook", ki.Implementation)
	li := ki.LanguageInfo
	assert.Equal(t, jupyter.LanguageInfo{Name: "go", Version: li.Version, MIMEType: "text/x-go", FileExtension: ".go", PygmentsLexer: "go", CodeMirrorMode: "go", NBConvertExporter: "script"}, li)
	assert.NotEmpty(t, ki.HelpLinks)
}

// TestPrintCallShowsNoResult: a cell ending in fmt.Println shows what it
// printed, not "3 <nil>"; other final expressions show their value.
func TestPrintCallShowsNoResult(t *testing.T) {
	c := startKernel(t)
	ex := execute(t, c, "import \"fmt\"\nfmt.Println(\"hi\")")
	assert.Equal(t, "hi\n", ex.Stdout())
	for _, o := range ex.Outputs {
		assert.NotEqual(t, "execute_result", o.Type, "no result for a print call: %v", o.Data)
	}
	ex = execute(t, c, `fmt.Sprintf("%03d", 7)`)
	require.Len(t, ex.Outputs, 1)
	assert.Equal(t, "007", ex.Outputs[0].Data["text/plain"])
}

// TestLateOutputGoesToItsCell: a goroutine's output after its cell ended
// goes to the last executed cell while no cell runs, and to the running
// cell once another one runs: never prepended to a later cell's output
// unless it is written while that cell runs.
func TestLateOutputGoesToItsCell(t *testing.T) {
	c := startKernel(t)
	first := execute(t, c, `import ("fmt"; "time"); go func() { time.Sleep(150 * time.Millisecond); fmt.Println("late") }()`)
	assert.Empty(t, first.Stdout())
	late, stop := c.Follow(first.MsgID)
	defer stop()
	select {
	case o := <-late:
		assert.Equal(t, "late\n", o.Text)
	case <-time.After(5 * time.Second):
		t.Fatal("the late line never arrived")
	}
	second := execute(t, c, `fmt.Println("second")`)
	assert.Equal(t, "second\n", second.Stdout(), "nothing from the first cell's goroutine")

	// Written while a later cell runs, it belongs to that cell.
	execute(t, c, `go func() { time.Sleep(100 * time.Millisecond); fmt.Println("during") }()`)
	third := execute(t, c, `time.Sleep(300 * time.Millisecond)`)
	assert.Equal(t, "during\n", third.Stdout())
}

func TestErrorsThroughTheProtocol(t *testing.T) {
	c := startKernel(t)
	ex := execute(t, c, "func boom() {\n\tpanic(\"boom\")\n}\nboom()")
	assert.Equal(t, "error", ex.Reply.Status)
	assert.Equal(t, "panic (string)", ex.Reply.EName)
	assert.Equal(t, "boom", ex.Reply.EValue)
	assert.Contains(t, strings.Join(ex.Reply.Traceback, "\n"), "line 2:2, in boom")

	ex = execute(t, c, "y := undefinedThing")
	assert.Equal(t, "compile error", ex.Reply.EName)
	assert.Contains(t, ex.Reply.EValue, "undefinedThing")
}

func TestInterruptThroughTheProtocol(t *testing.T) {
	if raceEnabled {
		t.Skip("interrupting a running cell is unsynchronized by gomacro's design (see session's skipUnderRace)")
	}
	c := startKernel(t)
	execute(t, c, `import "net"; ln, _ := net.Listen("tcp", "127.0.0.1:0"); kept := 7`)
	ctx := testContext(t)
	done := make(chan *jupyter.Execution, 1)
	go func() {
		ex, err := c.Execute(ctx, "conn, err := ln.Accept()")
		assert.NoError(t, err)
		done <- ex
	}()
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	require.NoError(t, c.Interrupt(ctx))
	ex := <-done
	t.Logf("interrupt_request → idle in %v", time.Since(start))
	assert.Equal(t, "interrupted", ex.Reply.EName)
	ex = execute(t, c, "kept")
	assert.Equal(t, "7", ex.Outputs[0].Data["text/plain"])
}

func TestIsComplete(t *testing.T) {
	c := startKernel(t)
	ctx := testContext(t)
	for code, want := range map[string]string{
		"x := 1":     "complete",
		"x := ":      "incomplete",
		"for {":      "incomplete",
		"x := )(":    "invalid",
		"func f() {": "incomplete",
	} {
		r, err := c.IsComplete(ctx, code)
		require.NoError(t, err)
		assert.Equal(t, want, r.Status, code)
	}
}

// TestInspect inspects the session's own values, which need no docs.
func TestInspect(t *testing.T) {
	c := startKernel(t)
	ctx := testContext(t)
	execute(t, c, `import "net"; ln, _ := net.Listen("tcp", "127.0.0.1:0"); answer := 42`)
	for _, tc := range []struct{ code, want string }{
		{"answer", "var answer int = 42"},
		{"ln", "*net.TCPListener"},
	} {
		r, err := c.Inspect(ctx, tc.code, len([]rune(tc.code)), 0)
		require.NoError(t, err)
		require.True(t, r.Found, tc.code)
		assert.Contains(t, r.Data["text/plain"], tc.want, tc.code)
		assert.Contains(t, r.Data, "text/markdown", tc.code)
	}
	r, err := c.Inspect(ctx, "nothingByThatName", 5, 0)
	require.NoError(t, err)
	assert.False(t, r.Found)
}

// TestComplete completes a name of a standard package, whose table
// gomacro has built in.
func TestComplete(t *testing.T) {
	c := startKernel(t)
	ctx := testContext(t)
	execute(t, c, `import "strings"`)
	code := "é := strings.ToUp"
	r, err := c.Complete(ctx, code, len([]rune(code)))
	require.NoError(t, err)
	assert.Contains(t, r.Matches, "ToUpper")
	assert.Equal(t, len([]rune("é := strings.")), r.CursorStart, "positions count code points")
	assert.Equal(t, len([]rune(code)), r.CursorEnd)
}
