package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/tools/jupyter"
	"github.com/sockbook/sockbook/tools/kernel/kernelbin"
)

// TestMain fails the run if a kernel process, or a client goroutine,
// outlives the tests.
func TestMain(m *testing.M) {
	code := testenv.RunNoChildren(m)
	if err := goleak.Find(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		code = 1
	}
	os.Exit(code)
}

// kernelPath builds the kernel once per test binary (or finds it in the
// user cache, built from the same sources).
var kernelPath = sync.OnceValues(func() (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	return kernelbin.BuildHere(ctx, os.Stderr)
})

// startKernel starts a kernel and connects a client to it; both are closed
// when tb ends.
func startKernel(tb testing.TB) (*jupyter.Kernel, *jupyter.Client) {
	tb.Helper()
	return startKernelMode(tb, "")
}

// startKernelMode starts a kernel whose spec has the given interrupt mode
// ("" for the kernelspec's own).
func startKernelMode(tb testing.TB, interruptMode string) (*jupyter.Kernel, *jupyter.Client) {
	tb.Helper()
	path, err := kernelPath()
	require.NoError(tb, err, "building the kernel")
	spec := kernelbin.Spec(path)
	if interruptMode != "" {
		spec.InterruptMode = interruptMode
	}
	k, err := jupyter.StartKernel(spec, nil, os.Stderr)
	require.NoError(tb, err)
	tb.Cleanup(func() { k.Close(2 * time.Second) })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := k.Dial(ctx)
	require.NoError(tb, err, "connecting to the kernel")
	tb.Cleanup(func() { c.Close() })
	return k, c
}

// execute runs code, failing tb if the kernel does not answer.
func execute(tb testing.TB, c *jupyter.Client, code string) *jupyter.Execution {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ex, err := c.Execute(ctx, code)
	require.NoError(tb, err, "executing %q", code)
	return ex
}

func TestKernelInfo(t *testing.T) {
	_, c := startKernel(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	info, err := c.KernelInfo(ctx)
	require.NoError(t, err)
	assert.Equal(t, "ok", info.Status)
	assert.Equal(t, "5.3", info.ProtocolVersion)
	assert.Equal(t, "sockbook", info.Implementation)
	assert.Equal(t, "go", info.LanguageInfo.Name)
	// The kernel runs on the Go that built it: the one running this test.
	assert.Equal(t, strings.TrimPrefix(runtime.Version(), "go"), info.LanguageInfo.Version)
	assert.Equal(t, "go", info.LanguageInfo.CodeMirrorMode)
	require.NoError(t, c.Heartbeat(ctx))
}

// manifestEntries reads the manifest of the tables the build generated for
// the kernel the tests run.
func manifestEntries(t *testing.T) []manifestEntry {
	path, err := kernelPath()
	require.NoError(t, err, "building the kernel")
	b, err := os.ReadFile(filepath.Join(kernelbin.TablesDir(path), "manifest.json"))
	require.NoError(t, err)
	var m []manifestEntry
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

// TestImportEveryPackage imports, in one cell, every package that has a
// table and prints the type of one of its functions. A package that is not
// linked into the kernel fails the import (the kernel has no toolchain to
// build it), so every line checks a real table entry. The tables are those
// of the current sources: every pkg/ package go list finds has one, so a
// new package or exported function is in the kernel the next build makes.
func TestImportEveryPackage(t *testing.T) {
	_, c := startKernel(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	pkgs, err := ownPackages(ctx, filepath.Join("..", ".."))
	require.NoError(t, err)
	require.NotEmpty(t, pkgs)
	var tabled []string
	for _, e := range manifestEntries(t) {
		if strings.HasPrefix(e.Path, modulePath+"/") {
			tabled = append(tabled, e.Path)
		}
	}
	assert.ElementsMatch(t, pkgs, tabled, "the pkg/ packages with a table")

	var code strings.Builder
	var want []string
	ownPackages := 0
	// The interpreter keeps one name per imported path: fmt is imported
	// once, under the alias the loop gives it.
	fmtName := "fmt"
	for i, e := range manifestEntries(t) {
		if len(e.Funcs) == 0 {
			continue
		}
		if strings.HasPrefix(e.Path, modulePath+"/") {
			ownPackages++
		}
		if e.Path == "fmt" {
			fmtName = fmt.Sprintf("p%d", i)
		}
		fmt.Fprintf(&code, "import p%d %q\n", i, e.Path)
		want = append(want, fmt.Sprintf("%s.%s", e.Path, e.Funcs[0]))
	}
	if fmtName == "fmt" {
		code.WriteString("import \"fmt\"\n")
	}
	for i, e := range manifestEntries(t) {
		if len(e.Funcs) == 0 {
			continue
		}
		fmt.Fprintf(&code, "%s.Printf(\"%%s.%%s %%T\\n\", %q, %q, p%d.%s)\n", fmtName, e.Path, e.Funcs[0], i, e.Funcs[0])
	}
	require.Positive(t, ownPackages, "no pkg/ package has a table")

	ex := execute(t, c, code.String())
	require.Equal(t, "ok", ex.Reply.Status, "%s: %s\n%s", ex.Reply.EName, ex.Reply.EValue, code.String())
	lines := strings.Split(strings.TrimSuffix(ex.Stdout(), "\n"), "\n")
	require.Len(t, lines, len(want))
	for i, line := range lines {
		name, typ, _ := strings.Cut(line, " ")
		assert.Equal(t, want[i], name)
		assert.True(t, strings.HasPrefix(typ, "func("), "%s has type %q, want a function", name, typ)
	}
}

// TestCurrentStandardLibrary checks that the regenerated standard tables,
// not gomacro's Go 1.18-era ones, are linked: io.ReadAll and net/netip came
// later.
func TestCurrentStandardLibrary(t *testing.T) {
	_, c := startKernel(t)
	ex := execute(t, c, `
import (
	"fmt"
	"io"
	"net/netip"
	"strings"
)
b, err := io.ReadAll(strings.NewReader("sockbook"))
fmt.Println(string(b), err)
fmt.Println(netip.MustParseAddrPort("127.0.0.1:5566").Port())
`)
	require.Equal(t, "ok", ex.Reply.Status, "%s: %s", ex.Reply.EName, ex.Reply.EValue)
	assert.Equal(t, "sockbook <nil>\n5566\n", ex.Stdout())
}

func TestCompileErrorThenNextCell(t *testing.T) {
	_, c := startKernel(t)
	ex := execute(t, c, `var n int = "not a number"`)
	assert.Equal(t, "error", ex.Reply.Status)
	require.NotEmpty(t, ex.Outputs)
	last := ex.Outputs[len(ex.Outputs)-1]
	assert.Equal(t, "error", last.Type)
	assert.Contains(t, last.EValue, "string")

	ex = execute(t, c, `import "fmt"; fmt.Println(6 * 7)`)
	assert.Equal(t, "ok", ex.Reply.Status, "%s: %s", ex.Reply.EName, ex.Reply.EValue)
	assert.Equal(t, "42\n", ex.Stdout())
}

func TestPanicKeepsKernel(t *testing.T) {
	k, c := startKernel(t)
	ex := execute(t, c, `x := 41; panic("cell panicked")`)
	assert.Equal(t, "error", ex.Reply.Status)
	assert.Contains(t, ex.Reply.EValue, "cell panicked")

	// The kernel lives on, with the state the cell made before panicking.
	ex = execute(t, c, `import "fmt"; fmt.Println(x + 1)`)
	assert.Equal(t, "ok", ex.Reply.Status, "%s: %s", ex.Reply.EName, ex.Reply.EValue)
	assert.Equal(t, "42\n", ex.Stdout())
	select {
	case <-k.Done():
		t.Fatal("kernel exited")
	default:
	}
}

// interruptCases are cells that block, each in its own way, with the
// state they must leave intact. All but the abandoned ones are woken, not
// left waiting.
var interruptCases = []struct {
	name, setup, code string
	abandoned         bool
}{
	{name: "cpu loop", code: "for {}"},
	{name: "Accept on an earlier cell's listener", setup: `import "net"; ln, _ := net.Listen("tcp", "127.0.0.1:0")`, code: "conn, err := ln.Accept()"},
	{name: "Read on a connection", setup: `import "net"; rl, _ := net.Listen("tcp", "127.0.0.1:0"); rc, _ := net.Dial("tcp", rl.Addr().String()); buf := make([]byte, 8)`, code: "rc.Read(buf)"},
	{name: "epoll_wait", setup: `import "golang.org/x/sys/unix"; epfd, _ := unix.EpollCreate1(0); events := make([]unix.EpollEvent, 4)`, code: "for { unix.EpollWait(epfd, events, -1) }"},
	// A loop, as an event loop polls: with SIGINT, one poll can return
	// EINTR from that signal and end the cell before the kernel has
	// marked it interrupted (the cell then ends ok, with the error).
	{name: "poll", setup: `import "golang.org/x/sys/unix"; p := make([]int, 2); unix.Pipe(p)`, code: "for { unix.Poll([]unix.PollFd{{Fd: int32(p[0]), Events: unix.POLLIN}}, -1) }"},
	{name: "channel receive", setup: "ch := make(chan int)", code: "<-ch", abandoned: true},
	{name: "sleep", setup: `import "time"`, code: "time.Sleep(time.Hour)"},
	{name: "event loop Serve(ctx, ln), poll", setup: `import "net"; import "github.com/sockbook/sockbook/pkg/eventloop"; eln, _ := net.Listen("tcp", "127.0.0.1:0"); srv := &eventloop.Server{Mechanism: eventloop.Poll}`, code: "srv.Serve(ctx, eln)"},
	{name: "event loop Serve(ctx, ln), epoll", setup: `import "net"; import "github.com/sockbook/sockbook/pkg/eventloop"; epln, _ := net.Listen("tcp", "127.0.0.1:0"); esrv := &eventloop.Server{Mechanism: eventloop.Epoll}`, code: "esrv.Serve(ctx, epln)"},
	{name: "TCP echo server Serve(ctx, ln)", setup: `import "github.com/sockbook/sockbook/pkg/tcpecho"; tl, _ := tcpecho.Listen(ctx, "tcp4", "127.0.0.1:0")`, code: "(&tcpecho.Server{}).Serve(ctx, tl)"},
}

// TestInterrupt interrupts each blocking cell, with interrupt_request (the
// kernelspec's mode) and with SIGINT, and checks that the cell ends
// interrupted within a second, the kernel goes idle, and the state from
// before is there. The kernel's goroutines come back to what they were:
// what an interrupt starts, ends (abandoned cells excepted, until their
// wait returns).
func TestInterrupt(t *testing.T) {
	for _, mode := range []string{"message", "signal"} {
		t.Run(mode, func(t *testing.T) {
			k, c := startKernelMode(t, mode)
			execute(t, c, `import ("fmt"; "runtime"); kept := 41`)
			for _, tc := range interruptCases {
				if tc.setup != "" {
					ex := execute(t, c, tc.setup)
					require.Equal(t, "ok", ex.Reply.Status, "%s: %s", tc.name, ex.Reply.EValue)
				}
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				done := make(chan *jupyter.Execution, 1)
				go func() {
					ex, err := c.Execute(ctx, tc.code)
					assert.NoError(t, err)
					done <- ex
				}()
				time.Sleep(150 * time.Millisecond)
				start := time.Now()
				require.NoError(t, c.Interrupt(ctx))
				ex := <-done
				took := time.Since(start)
				cancel()
				require.NotNil(t, ex, tc.name)
				assert.Equal(t, "interrupted", ex.Reply.EName, "%s: %s", tc.name, ex.Reply.EValue)
				assert.Equal(t, tc.abandoned, strings.Contains(ex.Reply.EValue, "abandoned"), "%s: %s", tc.name, ex.Reply.EValue)
				assert.Less(t, took, time.Second, tc.name)
				t.Logf("%s: interrupt → idle in %v", tc.name, took)
				ex = execute(t, c, "fmt.Println(kept + 1)")
				assert.Equal(t, "42\n", ex.Stdout(), tc.name)
			}
			select {
			case <-k.Done():
				t.Fatal("kernel exited")
			default:
			}
		})
	}
}

// TestNoGoroutineLeak runs cells and interrupts that end (not abandoned)
// and checks the kernel's goroutine count comes back.
func TestNoGoroutineLeak(t *testing.T) {
	_, c := startKernel(t)
	count := func() string {
		ex := execute(t, c, `import "runtime"; runtime.Gosched(); runtime.NumGoroutine()`)
		require.Equal(t, "ok", ex.Reply.Status, ex.Reply.EValue)
		return ex.Outputs[0].Data["text/plain"].(string)
	}
	execute(t, c, `import ("fmt"; "net"; "time"); ln, _ := net.Listen("tcp", "127.0.0.1:0")`)
	before := count()
	for range 5 {
		for _, code := range []string{"conn, err := ln.Accept()", "for {}", "time.Sleep(time.Hour)"} {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			done := make(chan struct{})
			go func() {
				c.Execute(ctx, code)
				close(done)
			}()
			time.Sleep(50 * time.Millisecond)
			require.NoError(t, c.Interrupt(ctx))
			<-done
			cancel()
		}
		execute(t, c, `fmt.Println("a cell")`)
	}
	time.Sleep(100 * time.Millisecond)
	assert.Equal(t, before, count(), "goroutines before and after 15 interrupts")
}

// TestInspect inspects the names of a standard package and a pkg/ package,
// documented from the docs.json linked into the kernel, and the session's
// values.
func TestInspect(t *testing.T) {
	_, c := startKernel(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	execute(t, c, `import ("net"; "github.com/sockbook/sockbook/pkg/addr"); ln, _ := net.Listen("tcp", "127.0.0.1:0"); answer := 42`)
	for _, tc := range []struct{ code, want string }{
		{"addr.InetAton", "func InetAton(s string) ([4]byte, error)"},
		{"addr.InetAton(", "func InetAton(s string) ([4]byte, error)"},
		{"net.Listen", "func Listen(network, address string) (Listener, error)"},
		{"answer", "var answer int = 42"},
		{"ln", "*net.TCPListener"},
		{"ln.Accept", "func (l *TCPListener) Accept() (Conn, error)"},
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

// TestComplete completes a name of a pkg/ package from its table.
func TestComplete(t *testing.T) {
	_, c := startKernel(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	execute(t, c, `import "github.com/sockbook/sockbook/pkg/addr"`)
	code := "é := addr.InetA"
	r, err := c.Complete(ctx, code, len([]rune(code)))
	require.NoError(t, err)
	assert.Contains(t, r.Matches, "InetAton")
	assert.Equal(t, len([]rune("é := addr.")), r.CursorStart, "positions count code points")
	assert.Equal(t, len([]rune(code)), r.CursorEnd)
}

func TestShutdownEndsProcess(t *testing.T) {
	k, c := startKernel(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, c.Shutdown(ctx, false))
	require.NoError(t, k.Wait(ctx), "the kernel should exit, with status 0")
}

// reportMedian adds the median of times to b's results, in milliseconds.
func reportMedian(b *testing.B, times []time.Duration) {
	slices.Sort(times)
	if len(times) > 0 {
		b.ReportMetric(float64(times[len(times)/2])/float64(time.Millisecond), "median-ms")
	}
}
