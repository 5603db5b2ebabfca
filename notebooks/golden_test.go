// The notebooks' stored outputs are the golden results: these tests run
// every notebook here through the sockbook kernel (and, where Debian's
// Jupyter is installed, through nbclient) and fail on any difference.
package notebooks_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/tools/jupyter"
	"github.com/sockbook/sockbook/tools/kernel/kernelbin"
	"github.com/sockbook/sockbook/tools/nbrun"
	"github.com/stretchr/testify/require"
)

func TestMain(m *testing.M) { os.Exit(testenv.RunNoChildren(m)) }

// kernel builds the sockbook kernel once per test binary, or takes it
// from the cache when its sources have not changed.
var kernel = sync.OnceValues(func() (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	return kernelbin.BuildHere(ctx, os.Stderr)
})

func spec(t testing.TB) jupyter.KernelSpec {
	t.Helper()
	path, err := kernel()
	require.NoError(t, err, "building the kernel")
	return kernelbin.Spec(path)
}

func notebookFiles(t testing.TB) []string {
	t.Helper()
	paths, err := filepath.Glob("*.ipynb")
	require.NoError(t, err)
	return paths
}

// report turns one notebook's results into subtests named by cell and
// recipe: a failure shows the diff; a skip for a missing requirement fails
// where SOCKBOOK_REQUIRE promises it.
func report(t *testing.T, path string, results []nbrun.CellResult) {
	for _, r := range results {
		name := fmt.Sprintf("cell%02d", r.Index)
		if r.Recipe != "" {
			name += "-" + r.Recipe
		}
		t.Run(name, func(t *testing.T) {
			switch r.Status {
			case nbrun.Failed:
				t.Errorf("%s %s: %s\n%s", path, r.Name(), r.Reason, r.Diff)
			case nbrun.Skipped:
				for _, req := range r.Unmet {
					if testenv.Required(req) {
						t.Fatalf("%s %s: %s, but SOCKBOOK_REQUIRE promises %s", path, r.Name(), r.Reason, req)
					}
				}
				t.Skip(r.Reason)
			}
		})
	}
}

func TestGolden(t *testing.T) {
	paths := notebookFiles(t)
	if len(paths) == 0 {
		t.Log("no notebooks yet")
		return
	}
	s := spec(t)
	for _, path := range paths {
		t.Run(strings.TrimSuffix(path, ".ipynb"), func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			results, err := nbrun.RunFile(ctx, path, s, nbrun.Options{}, os.Stderr)
			require.NoError(t, err)
			report(t, path, results)
		})
	}
}
