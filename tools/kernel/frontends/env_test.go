//go:build linux

package frontends

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"

	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/tools/kernel/kernelbin"
)

// needJupyter is the requirement name for jupyter-notebook, jupyter
// console and tmux: .ci/jupyter lists it (and testenv.Chromium) in
// SOCKBOOK_REQUIRE, so there a missing tool fails the tests.
const needJupyter = testenv.Jupyter

// TestMain makes this process a child subreaper before the tests run: the
// kernels Jupyter starts (in sessions of their own), tmux's daemonised
// server and chromium's helpers then become this process's children if
// they outlive their parents, so testenv.RunNoChildren sees every process a
// test leaves behind, not only the ones it started itself.
func TestMain(m *testing.M) {
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		fmt.Fprintln(os.Stderr, "prctl(PR_SET_CHILD_SUBREAPER):", err)
		os.Exit(1)
	}
	os.Exit(testenv.RunNoChildren(m))
}

// kernelPath builds the kernel once per test binary, or finds it in the
// user cache built from the same sources.
var kernelPath = sync.OnceValues(func() (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	return kernelbin.BuildHere(ctx, os.Stderr)
})

// lookTool finds a program, or skips (fails, under SOCKBOOK_REQUIRE) with
// how to install it.
func lookTool(t *testing.T, need, path, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(path)
	if err != nil {
		testenv.Skip(t, need, fmt.Sprintf("no %s (apt-get install %s): %v", path, pkg, err))
	}
	return p
}

// jupyterEnv is a private Jupyter installation: data, config and runtime
// folders under the test's temporary folder, with the sockbook kernelspec
// installed in the data folder.
type jupyterEnv struct {
	dir        string   // holds everything below
	dataDir    string   // JUPYTER_DATA_DIR, with kernels/sockbook/kernel.json
	configDir  string   // JUPYTER_CONFIG_DIR
	runtimeDir string   // JUPYTER_RUNTIME_DIR: connection files
	env        []string // the environment for Jupyter's programs
}

// newJupyterEnv builds the kernel and installs its kernelspec into fresh
// folders, with the repository's installer ("go run ./tools/kernel
// install", which "go run build.go kernel" runs).
func newJupyterEnv(t *testing.T) *jupyterEnv {
	t.Helper()
	kernel, err := kernelPath()
	require.NoError(t, err, "building the kernel")
	dir := t.TempDir()
	je := &jupyterEnv{
		dir:        dir,
		dataDir:    filepath.Join(dir, "data"),
		configDir:  filepath.Join(dir, "config"),
		runtimeDir: filepath.Join(dir, "runtime"),
	}
	// Nothing of the user's Jupyter or IPython: no inherited JUPYTER_PATH
	// may offer another "sockbook" kernelspec.
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "JUPYTER_") || name == "IPYTHONDIR" {
			continue
		}
		je.env = append(je.env, kv)
	}
	je.env = append(je.env,
		"JUPYTER_DATA_DIR="+je.dataDir,
		"JUPYTER_CONFIG_DIR="+je.configDir,
		"JUPYTER_RUNTIME_DIR="+je.runtimeDir,
		"IPYTHONDIR="+filepath.Join(dir, "ipython"),
	)
	for _, d := range []string{je.dataDir, je.runtimeDir, je.configDir, filepath.Join(dir, "ipython")} {
		require.NoError(t, os.MkdirAll(d, 0o700))
	}

	moduleDir, err := kernelbin.ModuleDir(context.Background())
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "run", "./tools/kernel", "install", "--kernel", kernel)
	cmd.Dir = moduleDir
	cmd.Env = je.env
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go run ./tools/kernel install: %s", out)
	spec, err := os.ReadFile(filepath.Join(je.dataDir, "kernels", kernelbin.Name, "kernel.json"))
	require.NoError(t, err, "the installer's kernel.json")
	require.Contains(t, string(spec), kernel)
	return je
}

// randomToken returns a random hex string.
func randomToken(t *testing.T) string {
	b := make([]byte, 16)
	_, err := rand.Read(b)
	require.NoError(t, err)
	return hex.EncodeToString(b)
}

// freePort returns a TCP port on 127.0.0.1 that nothing listens on now.
func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// syncBuffer collects a process's output for the log of a failed test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// noDescendantsLeft registers, as the test's last cleanup, a check that
// every process the test started, directly or not, has ended. It must be
// called before anything is started, so that it runs after every other
// cleanup has stopped and waited for what it started. Orphans adopted by
// this subreaper process (see TestMain) that end in time are reaped; those
// still running after the grace period fail the test and are killed, by
// their pid.
func noDescendantsLeft(t *testing.T) {
	t.Cleanup(func() {
		deadline := time.Now().Add(5 * time.Second)
		for {
			kids := testenv.ChildProcesses()
			var alive []int
			for _, pid := range kids {
				var ws unix.WaitStatus
				if got, _ := unix.Wait4(pid, &ws, unix.WNOHANG, nil); got != pid {
					alive = append(alive, pid)
				}
			}
			if len(alive) == 0 {
				return
			}
			if time.Now().After(deadline) {
				for _, pid := range alive {
					t.Errorf("process %d outlived the test: %s", pid, cmdline(pid))
					unix.Kill(pid, syscall.SIGKILL)
					var ws unix.WaitStatus
					unix.Wait4(pid, &ws, 0, nil)
				}
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}

// cmdline returns a process's command line, for messages.
func cmdline(pid int) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	if err != nil {
		return "(gone)"
	}
	return strings.TrimSpace(strings.ReplaceAll(string(b), "\x00", " "))
}

// stopProcess ends cmd as a user's Ctrl-C or a service manager would: sig,
// then SIGKILL if it has not exited within grace. It returns how it ended.
func stopProcess(cmd *exec.Cmd, done <-chan error, sig syscall.Signal, grace time.Duration) error {
	cmd.Process.Signal(sig)
	select {
	case err := <-done:
		return err
	case <-time.After(grace):
		cmd.Process.Kill()
		<-done
		return fmt.Errorf("%s did not exit within %v of %v; killed", filepath.Base(cmd.Path), grace, sig)
	}
}
