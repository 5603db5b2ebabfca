//go:build linux

package frontends

import (
	"context"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sockbook/sockbook/internal/chromium"
	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/tools/kernel/kernelbin"
)

// chapter is the notebook the test opens: its first code cell imports
// pkg/addr, whose InetAton the test inspects.
const chapter = "01-addresses.ipynb"

// TestClassicNotebook opens a chapter in Debian's classic Notebook, in
// chromium, and uses the kernel as a reader does: runs cells, interrupts a
// cell blocked in Accept with the toolbar's Interrupt button, goes on with
// the state the earlier cells made, and reads a function's documentation
// with Shift-Tab.
func TestClassicNotebook(t *testing.T) {
	notebookExe := lookTool(t, needJupyter, "/usr/bin/jupyter-notebook", "jupyter-notebook")
	browserExe := testenv.ChromiumPath(t)
	noDescendantsLeft(t)
	je := newJupyterEnv(t)

	nbDir := filepath.Join(je.dir, "notebooks")
	require.NoError(t, os.MkdirAll(nbDir, 0o755))
	moduleDir, err := kernelbin.ModuleDir(context.Background())
	require.NoError(t, err)
	src, err := os.ReadFile(filepath.Join(moduleDir, "notebooks", chapter))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(nbDir, chapter), src, 0o644))

	start := time.Now()
	srv := startNotebook(t, je, notebookExe, nbDir)
	t.Logf("notebook server ready in %v", time.Since(start).Round(time.Millisecond))

	start = time.Now()
	page := newPage(t, browserExe)
	page.do(t, chromedp.Navigate(srv.url+"/notebooks/"+chapter+"?token="+srv.token))
	// The page has loaded the notebook and started its kernel, which the
	// kernel indicator names and shows idle.
	page.waitFor(t, 30*time.Second, `!!(window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded &&
		Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected())`)
	page.waitFor(t, 10*time.Second, `document.querySelector('.kernel_indicator_name').textContent.trim() === 'Go (sockbook)'`)
	page.waitIdle(t)
	t.Logf("notebook open, kernel idle, in %v", time.Since(start).Round(time.Millisecond))
	// A cell's prompt gets its number from execute_reply, on the shell
	// channel, which can overtake the cell's last outputs on iopub. The
	// notebook tells when iopub has said idle for a cell, the end of its
	// outputs, with an event; this marks the cell's element then.
	page.js(t, `Jupyter.notebook.events.on('finished_execute.CodeCell', (e, d) => {
		d.cell.element[0].dataset.sockbookFinished = 'yes';
	}), 0`)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the notebook's cells:\n%s", page.dump())
		}
	})

	// The chapter's imports cell, as a reader runs it first.
	imports := page.js(t, `Jupyter.notebook.get_cells().findIndex(c => c.cell_type === 'code' &&
		c.get_text().includes('"github.com/sockbook/sockbook/pkg/addr"'))`)
	require.GreaterOrEqual(t, imports, 0, "no cell of %s imports pkg/addr", chapter)
	page.execute(t, imports)
	out := page.waitDone(t, imports)
	assert.Empty(t, out.errors, "imports cell")

	out = page.run(t, `x := 41`)
	assert.Empty(t, out.errors)
	out = page.run(t, `ln, err := net.Listen("tcp4", "127.0.0.1:0")
fmt.Println("listening:", err == nil)`)
	assert.Empty(t, out.errors)
	assert.Equal(t, "listening: true", strings.TrimSpace(out.text))

	// A cell that blocks in Accept, until the Interrupt button stops it.
	blocked := page.insert(t, `conn, err := ln.Accept()`)
	page.execute(t, blocked)
	page.waitFor(t, 10*time.Second, fmt.Sprintf(`(() => {
		const p = Jupyter.notebook.get_cell(%d).element[0].querySelector('.input_prompt').textContent;
		return p.includes('*') && document.getElementById('kernel_indicator_icon').className === 'kernel_busy_icon';
	})()`, blocked))
	time.Sleep(500 * time.Millisecond) // into Accept, and waiting there
	require.Equal(t, "*", page.prompt(t, blocked), "the Accept cell should still run")
	button := `#maintoolbar button[data-jupyter-action="jupyter-notebook:interrupt-kernel"]`
	title := page.jsString(t, `document.querySelector('`+button+`').title`)
	assert.Contains(t, strings.ToLower(title), "interrupt")
	start = time.Now()
	page.do(t, chromedp.Click(chromedp.CSS(button)))
	out = page.waitDone(t, blocked)
	page.waitIdle(t)
	t.Logf("Interrupt button → cell ended and kernel idle in %v", time.Since(start).Round(time.Millisecond))
	require.NotEmpty(t, out.errors, "the interrupted cell shows no error output; output: %q", out.text)
	assert.Contains(t, strings.ToLower(strings.Join(out.errors, "\n")), "interrupted")
	t.Logf("the cell shows: %q", out.errors)

	// The kernel kept the earlier cells' state, and the listener works.
	out = page.run(t, `fmt.Println(x + 1)`)
	assert.Empty(t, out.errors)
	assert.Equal(t, "42", strings.TrimSpace(out.text))
	out = page.run(t, `import "io"
go func() {
	c, err := net.Dial("tcp4", ln.Addr().String())
	if err != nil {
		return
	}
	c.Write([]byte("still listening"))
	c.Close()
}()
ac, err := ln.Accept()
if err != nil {
	panic(err)
}
got, err := io.ReadAll(ac)
ac.Close()
fmt.Println(string(got), err)`)
	assert.Empty(t, out.errors)
	assert.Equal(t, "still listening <nil>", strings.TrimSpace(out.text))

	// Shift-Tab after addr.InetAton shows its doc comment in the tooltip.
	want := synopsis(t, filepath.Join(moduleDir, "pkg", "addr"), "InetAton")
	cell := page.insert(t, `b, err := addr.InetAton("127.1")`)
	page.js(t, fmt.Sprintf(`(() => {
		const c = Jupyter.notebook.get_cell(%d);
		Jupyter.notebook.select(%d);
		Jupyter.notebook.edit_mode();
		c.focus_editor();
		c.code_mirror.setCursor({line: 0, ch: c.get_text().indexOf('InetAton') + 'InetAton'.length});
		return 0;
	})()`, cell, cell))
	start = time.Now()
	page.pressShiftTab(t)
	page.waitFor(t, 10*time.Second, `(() => {
		const tip = document.getElementById('tooltip');
		return !!tip && getComputedStyle(tip).display !== 'none' && tip.querySelector('.tooltiptext').textContent.length > 0;
	})()`)
	tip := page.jsString(t, `document.querySelector('#tooltip .tooltiptext').textContent`)
	t.Logf("Shift-Tab → tooltip in %v:\n%s", time.Since(start).Round(time.Millisecond), tip)
	assert.Contains(t, strings.Join(strings.Fields(tip), " "), want, "tooltip text:\n%s", tip)
	assert.Contains(t, tip, "func InetAton(s string) ([4]byte, error)", "tooltip text:\n%s", tip)

	assert.Empty(t, page.consoleErrors(), "console errors")
}

// notebookServer is a running jupyter-notebook.
type notebookServer struct {
	url, token string
}

// startNotebook starts the classic Notebook server on a free port of
// 127.0.0.1, serving nbDir with the kernels of je, and waits until its API
// lists the sockbook kernelspec. When t ends the server is stopped with
// SIGTERM, as a service manager does, which makes it shut its kernels down.
func startNotebook(t *testing.T, je *jupyterEnv, exe, nbDir string) *notebookServer {
	t.Helper()
	srv := &notebookServer{token: randomToken(t)}
	port := freePort(t)
	srv.url = "http://127.0.0.1:" + strconv.Itoa(port)
	args := []string{
		"--no-browser", "--ip=127.0.0.1", "--port=" + strconv.Itoa(port), "--port-retries=0",
		"--NotebookApp.token=" + srv.token, "--notebook-dir=" + nbDir,
	}
	if os.Geteuid() == 0 {
		args = append(args, "--allow-root")
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = je.env
	cmd.Dir = nbDir
	log := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = log, log
	require.NoError(t, cmd.Start())
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		start := time.Now()
		if err := stopProcess(cmd, done, syscall.SIGTERM, 10*time.Second); err != nil && !isSignalExit(err) {
			t.Errorf("stopping jupyter-notebook: %v", err)
		}
		t.Logf("notebook server stopped in %v", time.Since(start).Round(time.Millisecond))
		if t.Failed() {
			t.Logf("jupyter-notebook's log:\n%s", log.String())
		}
	})

	deadline := time.Now().Add(30 * time.Second)
	for {
		select {
		case err := <-done:
			done <- err
			t.Fatalf("jupyter-notebook exited at start (%v):\n%s", err, log.String())
		default:
		}
		specs, err := srv.kernelspecs()
		if err == nil {
			require.Contains(t, specs, kernelbin.Name, "the server's kernelspecs")
			return srv
		}
		if time.Now().After(deadline) {
			t.Fatalf("jupyter-notebook did not answer within 30 s (%v):\n%s", err, log.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// kernelspecs asks the server's REST API which kernels it offers.
func (s *notebookServer) kernelspecs() (map[string]any, error) {
	req, err := http.NewRequest("GET", s.url+"/api/kernelspecs", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "token "+s.token)
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /api/kernelspecs: %s: %s", resp.Status, b)
	}
	var v struct {
		Kernelspecs map[string]any `json:"kernelspecs"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, err
	}
	return v.Kernelspecs, nil
}

// isSignalExit reports whether err is the exit of a process that a signal
// ended, or that exited with status 128+signal, as Python servers do.
func isSignalExit(err error) bool {
	ee, ok := err.(*exec.ExitError)
	if !ok {
		return false
	}
	ws, ok := ee.Sys().(syscall.WaitStatus)
	return ok && (ws.Signaled() || ws.ExitStatus() > 128)
}

// synopsis returns the first sentence of the doc comment of pkgDir's
// function name, with its white space collapsed to single spaces.
func synopsis(t *testing.T, pkgDir, name string) string {
	t.Helper()
	fset := token.NewFileSet()
	names, err := filepath.Glob(filepath.Join(pkgDir, "*.go"))
	require.NoError(t, err)
	var files []*ast.File
	for _, file := range names {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, parser.ParseComments)
		require.NoError(t, err)
		files = append(files, f)
	}
	d, err := doc.NewFromFiles(fset, files, "github.com/sockbook/sockbook/pkg/"+filepath.Base(pkgDir))
	require.NoError(t, err)
	for _, f := range d.Funcs {
		if f.Name == name {
			s := d.Synopsis(f.Doc)
			require.NotEmpty(t, s, "%s has no doc comment", name)
			return strings.Join(strings.Fields(s), " ")
		}
	}
	t.Fatalf("no func %s in %s", name, pkgDir)
	return ""
}

// page is a notebook tab in a headless chromium of its own.
type page struct {
	ctx    context.Context
	errors *syncBuffer // console errors and exceptions, one a line
}

// newPage starts chromium with a fresh profile and opens a tab; both end
// when t does, before the notebook server stops.
func newPage(t *testing.T, exe string) *page {
	t.Helper()
	ctx, cancel := context.WithTimeout(chromium.Start(t, exe), 2*time.Minute)
	t.Cleanup(cancel)
	p := &page{ctx: ctx, errors: &syncBuffer{}}
	console := chromedp.Console(ctx)
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
				fmt.Fprintln(p.errors, m.String())
			}
		}
	}()
	return p
}

func (p *page) do(t *testing.T, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	require.NoError(t, chromedp.Do(p.ctx, actions...))
}

// js evaluates expr, a number.
func (p *page) js(t *testing.T, expr string) int {
	t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[int](expr))
	require.NoError(t, err, expr)
	return v
}

// jsString evaluates expr, a string.
func (p *page) jsString(t *testing.T, expr string) string {
	t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](expr))
	require.NoError(t, err, expr)
	return v
}

// waitFor polls the predicate expr until it is true.
func (p *page) waitFor(t *testing.T, timeout time.Duration, expr string) {
	t.Helper()
	_, err := chromedp.Run(p.ctx, chromedp.Poll[bool](expr,
		chromedp.WithPollingTimeout(timeout), chromedp.WithPollingInterval(20*time.Millisecond)))
	require.NoError(t, err, "waiting for %s", expr)
}

// waitIdle waits for the kernel indicator to show the kernel idle.
func (p *page) waitIdle(t *testing.T) {
	t.Helper()
	p.waitFor(t, 10*time.Second, `document.getElementById('kernel_indicator_icon').className === 'kernel_idle_icon'`)
}

// insert adds a code cell holding code at the end of the notebook and
// returns its index.
func (p *page) insert(t *testing.T, code string) int {
	t.Helper()
	src, err := json.Marshal(code)
	require.NoError(t, err)
	return p.js(t, `(() => {
		const nb = Jupyter.notebook;
		const c = nb.insert_cell_at_bottom('code');
		c.set_text(`+string(src)+`);
		const i = nb.find_cell_index(c);
		nb.select(i);
		return i;
	})()`)
}

// run inserts a cell holding code, runs it and returns what it shows.
func (p *page) run(t *testing.T, code string) cellOutput {
	t.Helper()
	i := p.insert(t, code)
	p.execute(t, i)
	out := p.waitDone(t, i)
	t.Logf("In [%s]: %s\n→ %q %q", p.prompt(t, i), code, out.text, out.errors)
	return out
}

// execute runs cell i.
func (p *page) execute(t *testing.T, i int) {
	t.Helper()
	p.js(t, fmt.Sprintf(`(() => {
		const c = Jupyter.notebook.get_cell(%d);
		delete c.element[0].dataset.sockbookFinished;
		c.execute();
		return 0;
	})()`, i))
}

// dump returns every code cell's prompt and output, for the log of a
// failed test.
func (p *page) dump() string {
	ctx, cancel := context.WithTimeout(p.ctx, 5*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code').slice(-8).map(c =>
		c.element[0].querySelector('.input_prompt').textContent + ' ' + c.get_text() + '\n→ ' +
		JSON.stringify(c.element[0].querySelector('.output').innerText)).join('\n')`))
	if err != nil {
		return err.Error()
	}
	return s
}

// cellOutput is what a cell's output area shows.
type cellOutput struct {
	text   string   // all of it
	errors []string // the error outputs
}

// prompt returns what is between the brackets of cell i's "In [ ]:".
func (p *page) prompt(t *testing.T, i int) string {
	t.Helper()
	s := p.jsString(t, fmt.Sprintf(`Jupyter.notebook.get_cell(%d).element[0].querySelector('.input_prompt').textContent`, i))
	_, s, _ = strings.Cut(s, "[")
	s, _, _ = strings.Cut(s, "]")
	return strings.TrimSpace(s)
}

// waitDone waits for cell i to have run, shown by a number in its prompt,
// and to have all its outputs, and returns them.
func (p *page) waitDone(t *testing.T, i int) cellOutput {
	t.Helper()
	p.waitFor(t, 20*time.Second, fmt.Sprintf(`(() => {
		const el = Jupyter.notebook.get_cell(%d).element[0];
		return /In\s*\[\d+\]/.test(el.querySelector('.input_prompt').textContent) && el.dataset.sockbookFinished === 'yes';
	})()`, i))
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[struct {
		Text   string   `json:"text"`
		Errors []string `json:"errors"`
	}](fmt.Sprintf(`(() => {
		const el = Jupyter.notebook.get_cell(%d).element[0];
		return {
			text: el.querySelector('.output').innerText,
			errors: Array.from(el.querySelectorAll('.output_error'), e => e.innerText),
		};
	})()`, i)))
	require.NoError(t, err)
	return cellOutput{text: v.Text, errors: v.Errors}
}

// pressShiftTab presses Shift-Tab in the focused editor. chromedp.KeyEvent
// would also send Tab's character, which a browser does not send after the
// page cancels the keydown, as the notebook does for Shift-Tab.
func (p *page) pressShiftTab(t *testing.T) {
	t.Helper()
	for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeRawKeyDown, input.DispatchKeyEventTypeKeyUp} {
		_, err := chromedp.Call(p.ctx, input.DispatchKeyEvent, input.DispatchKeyEventParams{
			Type: typ, Key: "Tab", Code: "Tab", WindowsVirtualKeyCode: 9, NativeVirtualKeyCode: 9,
			Modifiers: int64(chromedp.ModifierShift)})
		require.NoError(t, err)
	}
}

// consoleErrors returns the page's console errors so far.
func (p *page) consoleErrors() []string {
	time.Sleep(50 * time.Millisecond) // let the event goroutine catch up
	s := strings.TrimSpace(p.errors.String())
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}
