package nbrun

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/tools/jupyter"
	"github.com/sockbook/sockbook/tools/kernel/kernelbin"
	"github.com/sockbook/sockbook/tools/nbformat"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMain fails the run if a kernel process outlives the tests.
func TestMain(m *testing.M) { os.Exit(testenv.RunNoChildren(m)) }

func spec(t *testing.T) jupyter.KernelSpec {
	t.Helper()
	return kernelbin.ForTest(t)
}

// sampleCopy copies testdata/sample.ipynb into a temporary folder,
// changed by edit, and returns its path.
func sampleCopy(t *testing.T, edit func(string) string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/sample.ipynb")
	require.NoError(t, err)
	text := string(b)
	if edit != nil {
		text = edit(text)
		require.NotEqual(t, string(b), text, "the edit changed nothing")
	}
	path := filepath.Join(t.TempDir(), "sample.ipynb")
	require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
	return path
}

func byStatus(results []CellResult) map[Status][]CellResult {
	m := map[Status][]CellResult{}
	for _, r := range results {
		m[r.Status] = append(m[r.Status], r)
	}
	return m
}

// The sample's stored outputs, written by the runner, come out again.
func TestSampleNotebook(t *testing.T) {
	results, err := RunFile(context.Background(), sampleCopy(t, nil), spec(t), Options{}, nil)
	require.NoError(t, err)
	got := byStatus(results)
	for _, r := range got[Failed] {
		t.Errorf("%s: %s\n%s", r.Name(), r.Reason, r.Diff)
	}
	assert.Len(t, got[Passed], 5)
	require.NotEmpty(t, got[Skipped])
	assert.Equal(t, "tagged skip-execution", got[Skipped][0].Reason)
}

// Updating a notebook whose outputs are current leaves its bytes alone.
func TestUpdateIsByteStable(t *testing.T) {
	path := sampleCopy(t, nil)
	before, err := os.ReadFile(path)
	require.NoError(t, err)
	_, err = RunFile(context.Background(), path, spec(t), Options{Update: true}, nil)
	require.NoError(t, err)
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(before), string(after))
}

// The golden check can fail: a corrupted stored output is caught and the
// failure names the cell and shows both texts.
func TestTamperedOutputFails(t *testing.T) {
	path := sampleCopy(t, func(s string) string {
		return strings.Replace(s, `"hello from the kernel\n"`, `"hello from a tampered kernel\n"`, 1)
	})
	results, err := RunFile(context.Background(), path, spec(t), Options{}, nil)
	require.NoError(t, err)
	failed := byStatus(results)[Failed]
	require.Len(t, failed, 1)
	assert.Equal(t, "cell 2 (hostname)", failed[0].Name())
	assert.Equal(t, "outputs differ", failed[0].Reason)
	assert.Contains(t, failed[0].Diff, "-hello from a tampered kernel\n+hello from the kernel\n")
}

func writeNotebook(t *testing.T, cells ...string) string {
	t.Helper()
	nb := &nbformat.Notebook{Nbformat: 4, NbformatMinor: 5, Metadata: map[string]any{}}
	for i, src := range cells {
		nb.Cells = append(nb.Cells, &nbformat.Cell{ID: fmt.Sprintf("c%d", i), Type: "code", Source: src, Metadata: map[string]any{}})
	}
	path := filepath.Join(t.TempDir(), "nb.ipynb")
	require.NoError(t, nbformat.WriteFile(path, nb))
	return path
}

// A kernel that dies mid-notebook is reported against the cell that was
// running, and the rest are not run.
func TestDeadKernelNamesTheCell(t *testing.T) {
	path := writeNotebook(t,
		`import "fmt"`,
		"import \"golang.org/x/sys/unix\"\nunix.Kill(unix.Getpid(), unix.SIGKILL)",
		`fmt.Println("never")`,
	)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	results, err := RunFile(ctx, path, spec(t), Options{CellTimeout: 30 * time.Second}, nil)
	require.NoError(t, err)
	require.Len(t, results, 3)
	assert.Equal(t, Passed, results[0].Status)
	assert.Equal(t, Failed, results[1].Status)
	assert.Equal(t, "cell 1", results[1].Name())
	assert.NotContains(t, results[1].Reason, "timed out", "death must be noticed, not waited out: %s", results[1].Reason)
	assert.Equal(t, Skipped, results[2].Status)
	assert.Equal(t, "not run: cell 1 failed", results[2].Reason)
}

// A cell that never returns is interrupted at its timeout and reported.
func TestTimeoutInterruptsTheCell(t *testing.T) {
	path := writeNotebook(t,
		"import \"time\"\ntime.Sleep(time.Hour)",
		`1 + 1`,
	)
	results, err := RunFile(context.Background(), path, spec(t), Options{CellTimeout: time.Second}, nil)
	require.NoError(t, err)
	assert.Equal(t, Failed, results[0].Status)
	assert.Contains(t, results[0].Reason, "timed out after 1s; interrupted")
	assert.Equal(t, Skipped, results[1].Status)
}
