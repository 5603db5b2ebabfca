//go:build linux

package frontends

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sockbook/sockbook/tools/kernel/kernelbin"
)

// TestConsole runs jupyter console on the sockbook kernel in a tmux pane
// and types into it as a reader does: cells ended by Enter, a cell that
// loops until Ctrl-C interrupts it, and a cell after that which finds the
// variables from before. It does so in both of the console's interfaces:
// prompt_toolkit's, the default, and --simple-prompt's line input.
//
// Debian's jupyter-console 6.4.4 cannot interrupt a kernel from its
// default interface: prompt_toolkit, on Python 3.11, leaves SIGINT at
// Python's default handler once the first prompt returns, so Ctrl-C during
// a cell raises KeyboardInterrupt in the console ("KeyboardInterrupt
// escaped interact()") instead of calling the console's handler, which
// would interrupt the kernel; the kernel runs on and every later cell
// waits behind it. That is jupyter/jupyter_console#296, with any kernel,
// and the one-line fix of jupyter/jupyter_console#295 (put the handler
// back after each prompt) is not released. The prompt_toolkit subtest
// applies that fix from the console's configuration file in the test's
// own config folder; the simple-prompt subtest runs Debian's code as it is.
func TestConsole(t *testing.T) {
	jupyter := lookTool(t, needJupyter, "/usr/bin/jupyter", "jupyter-core")
	lookTool(t, needJupyter, "/usr/bin/jupyter-console", "jupyter-console")
	tmuxExe := lookTool(t, needJupyter, "tmux", "tmux")
	t.Run("prompt_toolkit", func(t *testing.T) {
		testConsole(t, jupyter, tmuxExe, false)
	})
	t.Run("simple-prompt", func(t *testing.T) {
		testConsole(t, jupyter, tmuxExe, true)
	})
}

// sigintFix is jupyter/jupyter_console#295 as configuration: after each
// prompt, the SIGINT handler that was there before it.
const sigintFix = `# jupyter/jupyter_console#295: prompt_toolkit leaves SIGINT at Python's
# default handler after a prompt, so Ctrl-C would not reach the kernel.
import signal
from jupyter_console.ptshell import ZMQTerminalInteractiveShell

_prompt_for_code = ZMQTerminalInteractiveShell.prompt_for_code


async def _prompt_keeping_sigint(self):
    handler = signal.getsignal(signal.SIGINT)
    try:
        return await _prompt_for_code(self)
    finally:
        signal.signal(signal.SIGINT, handler)


ZMQTerminalInteractiveShell.prompt_for_code = _prompt_keeping_sigint
`

func testConsole(t *testing.T, jupyter, tmuxExe string, simplePrompt bool) {
	noDescendantsLeft(t)
	je := newJupyterEnv(t)
	args := []string{jupyter, "console", "--kernel", kernelbin.Name, "--no-confirm-exit"}
	if simplePrompt {
		args = append(args, "--simple-prompt")
	} else {
		require.NoError(t, os.WriteFile(filepath.Join(je.configDir, "jupyter_console_config.py"), []byte(sigintFix), 0o644))
	}

	// A private tmux server: its own socket and configuration, none of the
	// user's. remain-on-exit keeps the pane, and what it shows, if the
	// console exits early.
	conf := filepath.Join(je.dir, "tmux.conf")
	require.NoError(t, os.WriteFile(conf, []byte("set -g remain-on-exit on\nset -g history-limit 10000\n"), 0o644))
	tm := &tmux{t: t, exe: tmuxExe, socket: filepath.Join(je.dir, "tmux.sock"), conf: conf, env: slices.Concat(je.env, []string{"TERM=xterm-256color"})}
	start := time.Now()
	tm.run(append([]string{"new-session", "-d", "-s", "console", "-x", "200", "-y", "50"}, args...)...)
	t.Cleanup(func() {
		// The console has exited (below) unless the test failed first;
		// the pane stays (remain-on-exit) until the server goes, here.
		if t.Failed() {
			t.Logf("the pane:\n%s", tm.pane())
		}
		tm.runQuiet("kill-server")
	})
	tm.waitPane(`In \[1\]: $`, 30*time.Second)
	t.Logf("jupyter console's first prompt in %v", time.Since(start).Round(time.Millisecond))

	tm.cell(`import "fmt"`, 2)
	tm.cell(`x := 41`, 3)
	out := tm.cell(`fmt.Println(x)`, 4)
	assert.Equal(t, "41", strings.TrimSpace(out))

	// A cell that never ends, until Ctrl-C.
	tm.typeLine(`for {}`)
	time.Sleep(500 * time.Millisecond)
	require.NotRegexp(t, `(?m)^In \[5\]: $`, tm.pane(), "the loop should still run")
	start = time.Now()
	tm.run("send-keys", "-t", "console", "C-c")
	out = tm.waitPrompt(5)
	t.Logf("Ctrl-C → the next prompt in %v", time.Since(start).Round(time.Millisecond))
	assert.Contains(t, out, "interrupted: the cell was interrupted")

	out = tm.cell(`fmt.Println(x+1)`, 6)
	assert.Equal(t, "42", strings.TrimSpace(out))

	// Ctrl-D at an empty prompt ends the console, which shuts its kernel
	// down (noDescendantsLeft checks that the kernel process ends). tmux
	// marks the pane dead at its end of file; its exit status is not
	// checked, as tmux 3.3a at times leaves this console unreaped, with no
	// status, until another SIGCHLD comes (seen from a shell as well).
	start = time.Now()
	tm.run("send-keys", "-t", "console", "C-d")
	deadline := time.Now().Add(10 * time.Second)
	for strings.TrimSpace(tm.output("display-message", "-p", "-t", "console", "#{pane_dead}")) != "1" {
		if time.Now().After(deadline) {
			t.Fatalf("jupyter console did not exit within 10 s of Ctrl-D")
		}
		time.Sleep(30 * time.Millisecond)
	}
	t.Logf("Ctrl-D → console exited in %v", time.Since(start).Round(time.Millisecond))
	assert.Regexp(t, `(?m)Shutting down kernel$`, tm.pane())
}

// tmux runs commands against a private tmux server.
type tmux struct {
	t            *testing.T
	exe          string
	socket, conf string
	env          []string
}

// exec runs a tmux command and returns its output.
func (tm *tmux) exec(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, tm.exe, append([]string{"-S", tm.socket, "-f", tm.conf}, args...)...)
	cmd.Env = tm.env
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// output runs a tmux command and returns its output.
func (tm *tmux) output(args ...string) string {
	tm.t.Helper()
	out, err := tm.exec(args...)
	require.NoError(tm.t, err, "tmux %s: %s", strings.Join(args, " "), out)
	return out
}

func (tm *tmux) run(args ...string) { tm.t.Helper(); tm.output(args...) }

// runQuiet runs a tmux command whose failure does not matter.
func (tm *tmux) runQuiet(args ...string) { tm.exec(args...) }

// pane returns what the console's pane shows, with its scrollback, each
// wrapped line joined, and trailing blank lines dropped.
func (tm *tmux) pane() string {
	out, err := tm.exec("capture-pane", "-p", "-J", "-S", "-", "-t", "console")
	if err != nil {
		return "(capture-pane: " + err.Error() + ": " + out + ")"
	}
	return strings.TrimRight(out, "\n")
}

// waitPane waits until the pane matches the regular expression re (in
// multi-line mode) and returns it.
func (tm *tmux) waitPane(re string, timeout time.Duration) string {
	tm.t.Helper()
	rx := regexp.MustCompile(`(?m)` + re)
	deadline := time.Now().Add(timeout)
	for {
		p := tm.pane()
		if rx.MatchString(p) {
			return p
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("the pane does not match %s after %v:\n%s", re, timeout, p)
		}
		time.Sleep(30 * time.Millisecond)
	}
}

// typeLine types line into the pane, then Enter.
func (tm *tmux) typeLine(line string) {
	tm.t.Helper()
	tm.run("send-keys", "-t", "console", "-l", line)
	tm.run("send-keys", "-t", "console", "Enter")
}

// waitPrompt waits for the prompt "In [n]: " and returns what the pane
// shows between the previous prompt's line and it: the last cell's output.
func (tm *tmux) waitPrompt(n int) string {
	tm.t.Helper()
	p := tm.waitPane(`^In \[`+strconv.Itoa(n)+`\]: $`, 20*time.Second)
	lines := strings.Split(p, "\n")
	end := len(lines) - 1
	begin := end - 1
	for begin > 0 && !strings.HasPrefix(lines[begin], "In [") {
		begin--
	}
	return strings.Join(lines[begin+1:end], "\n")
}

// cell types code, then Enter, and waits for the prompt numbered next; it
// returns the cell's output.
func (tm *tmux) cell(code string, next int) string {
	tm.t.Helper()
	tm.typeLine(code)
	out := tm.waitPrompt(next)
	tm.t.Logf("In [%d]: %s\n→ %q", next-1, code, out)
	return out
}
