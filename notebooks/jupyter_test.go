package notebooks_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/tools/jupyter"
	"github.com/sockbook/sockbook/tools/nbformat"
	"github.com/sockbook/sockbook/tools/nbrun"
	"github.com/stretchr/testify/require"
)

// Debian's Python, where python3-nbclient and python3-nbformat live.
const python = "/usr/bin/python3"

// nbclientScript executes a notebook with nbclient, as Jupyter would, and
// validates it with nbformat before and after.
const nbclientScript = `
import sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
nbformat.validate(nb)
NotebookClient(nb, kernel_name="sockbook", timeout=120).execute()
nbformat.validate(nb)
nbformat.write(nb, sys.argv[2])
`

// needJupyter skips (or fails where SOCKBOOK_REQUIRE lists "jupyter")
// unless Debian's nbclient and nbformat can be imported.
func needJupyter(t testing.TB) {
	t.Helper()
	if out, err := exec.Command(python, "-c", "import nbclient, nbformat").CombinedOutput(); err != nil {
		testenv.Skip(t, testenv.Jupyter, "needs Debian's python3-nbclient and python3-nbformat: "+strings.TrimSpace(string(out)))
	}
}

// installSpec writes the sockbook kernelspec into a fresh Jupyter data
// folder and returns it, for JUPYTER_DATA_DIR.
func installSpec(t testing.TB, s jupyter.KernelSpec) string {
	t.Helper()
	dir := t.TempDir()
	kdir := filepath.Join(dir, "kernels", "sockbook")
	require.NoError(t, os.MkdirAll(kdir, 0o755))
	b, err := json.MarshalIndent(s, "", "  ")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(kdir, "kernel.json"), b, 0o644))
	return dir
}

// runNbclient executes path with nbclient and returns the executed notebook.
func runNbclient(t testing.TB, dataDir, path string) *nbformat.Notebook {
	t.Helper()
	stored, err := nbformat.ReadFile(path)
	require.NoError(t, err)
	prepared, err := nbrun.ForJupyter(stored, nil)
	require.NoError(t, err)
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.ipynb"), filepath.Join(dir, "out.ipynb")
	require.NoError(t, nbformat.WriteFile(in, prepared))

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, "-c", nbclientScript, in, out)
	cmd.Env = append(os.Environ(), "JUPYTER_DATA_DIR="+dataDir)
	msg, err := cmd.CombinedOutput()
	require.NoError(t, err, "nbclient on %s:\n%s", path, msg)
	executed, err := nbformat.ReadFile(out)
	require.NoError(t, err)
	return executed
}

// Real Jupyter gives the same outputs as our runner: every notebook,
// executed by Debian's nbclient with the sockbook kernelspec, matches its
// stored outputs under the same comparison.
func TestNbclientGivesTheSameOutputs(t *testing.T) {
	paths := notebookFiles(t)
	if len(paths) == 0 {
		t.Log("no notebooks yet")
		return
	}
	needJupyter(t)
	dataDir := installSpec(t, spec(t))
	for _, path := range paths {
		t.Run(strings.TrimSuffix(path, ".ipynb"), func(t *testing.T) {
			t.Parallel()
			stored, err := nbformat.ReadFile(path)
			require.NoError(t, err)
			results, err := nbrun.Compare(stored, runNbclient(t, dataDir, path))
			require.NoError(t, err)
			report(t, path, results)
		})
	}
}
