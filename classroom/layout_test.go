package classroom

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/tools/jupyter"
	"github.com/sockbook/sockbook/tools/kernel/kernelbin"
	"github.com/sockbook/sockbook/tools/nbformat"
	"github.com/sockbook/sockbook/tools/nbrun"
)

func TestMain(m *testing.M) {
	code := testenv.RunNoChildren(m)
	if stagedOnce { // the staged tree outlives single tests; not the binary
		if dir, _ := staged(); dir != "" {
			os.RemoveAll(dir)
		}
	}
	os.Exit(code)
}

// stagedOnce records whether a test asked for the staged tree.
var stagedOnce bool

// staged stages the classroom tree once per test binary, through the same
// function go run ./classroom/stage uses.
var staged = sync.OnceValues(func() (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	dir, err := os.MkdirTemp("", "sockbook-classroom-")
	if err != nil {
		return "", err
	}
	return dir, StageHere(ctx, dir, os.Stderr)
})

func stagedDir(t *testing.T) string {
	t.Helper()
	stagedOnce = true
	dir, err := staged()
	require.NoError(t, err, "staging the classroom tree")
	return dir
}

// curlPipe matches a download piped into a shell, which the image must not
// do: everything comes from Debian's archive or the staged tree.
var curlPipe = regexp.MustCompile(`\b(curl|wget)\b[^|;&]*\|\s*(ba|da)?sh\b`)

// The Containerfile is what the README says: Debian, Debian's packages
// only, sources that the staging fills, a learner who is not root, the
// notebook port, and a server reachable from outside the container.
func TestContainerfileLint(t *testing.T) {
	dir := stagedDir(t)
	steps, err := parseContainerfile("Containerfile")
	require.NoError(t, err)
	require.NotEmpty(t, steps)

	assert.Equal(t, "FROM", steps[0].keyword, "the first instruction")
	assert.Regexp(t, `^(docker\.io/(library/)?)?debian:bookworm(-slim)?$`, steps[0].args, "the base image")
	var user, cmd string
	var exposed, copied bool
	for _, s := range steps {
		switch s.keyword {
		case "FROM":
			assert.Equal(t, steps[0], s, "line %d: one stage only; the kernel is built on the host", s.line)
		case "RUN":
			assert.NotRegexp(t, curlPipe, s.args, "line %d: a download piped into a shell", s.line)
			for _, cmd := range regexp.MustCompile(`\b(pip3?|npm|curl|wget)\b`).FindAllString(s.args, -1) {
				t.Errorf("line %d: %s fetches from outside Debian's archive", s.line, cmd)
			}
		case "COPY", "ADD":
			require.Equal(t, "COPY", s.keyword, "line %d: ADD can fetch URLs; use COPY", s.line)
			srcs, _, err := copySources(s.args)
			require.NoError(t, err, "line %d", s.line)
			for _, src := range srcs {
				_, err := os.Stat(filepath.Join(dir, src))
				assert.NoError(t, err, "line %d: COPY source %s is not in the staged tree", s.line, src)
			}
			copied = true
		case "USER":
			user = s.args
		case "EXPOSE":
			exposed = exposed || s.args == "8888"
		case "CMD":
			cmd = s.args
		}
	}
	assert.True(t, copied, "nothing is copied into the image")
	assert.NotContains(t, []string{"", "root", "0"}, strings.Split(user, ":")[0], "the server must not run as root (USER %q)", user)
	assert.True(t, exposed, "EXPOSE 8888 is missing")
	var argv []string
	require.NoError(t, json.Unmarshal([]byte(cmd), &argv), "CMD in exec form: %s", cmd)
	require.NotEmpty(t, argv)
	assert.Equal(t, []string{"jupyter", "notebook"}, argv[:2])
	assert.Contains(t, argv, "--ip=0.0.0.0", "inside the container the server must listen beyond its own loopback")
	for _, a := range argv {
		assert.NotRegexp(t, `token=('')?$`, a, "the server must keep a token")
	}
}

// The Containerfile's COPY steps, replayed into a folder standing for the
// image's /, give a tree Jupyter can use: the kernelspec names a kernel
// binary that exists there and is executable by everyone, the notebooks
// and the course are there, and the kernel runs the first cells of
// 01-addresses with their stored outputs.
func TestStagedLayoutRunsANotebook(t *testing.T) {
	dir := stagedDir(t)
	steps, err := parseContainerfile("Containerfile")
	require.NoError(t, err)
	root := t.TempDir()
	for _, s := range steps {
		if s.keyword != "COPY" {
			continue
		}
		srcs, dst, err := copySources(s.args)
		require.NoError(t, err)
		for _, src := range srcs {
			require.NoError(t, os.CopyFS(filepath.Join(root, dst), os.DirFS(filepath.Join(dir, src))), "COPY %s", s.args)
		}
	}

	spec, err := jupyter.ReadKernelSpec(filepath.Join(root, KernelSpecDir, "kernel.json"))
	require.NoError(t, err)
	require.NotEmpty(t, spec.Argv)
	assert.Equal(t, KernelPath, spec.Argv[0], "the kernelspec must name the kernel by its path in the image")
	fi, err := os.Stat(filepath.Join(dir, KernelPath))
	require.NoError(t, err, "the staged kernel binary")
	assert.Equal(t, os.FileMode(0o755), fi.Mode().Perm(), "the staged kernel binary's mode")
	fi, err = os.Stat(filepath.Join(root, spec.Argv[0]))
	require.NoError(t, err, "the kernel binary the kernelspec names")
	assert.Equal(t, os.FileMode(0o005), fi.Mode().Perm()&0o005, "the kernel binary must be readable and executable by every learner")
	for _, want := range []string{"notebooks/01-addresses.ipynb", "notebooks/06-event-loops.ipynb", "tutorials/README.md", "tutorials/lessons", "tutorials/exercises"} {
		_, err := os.Stat(filepath.Join(root, CourseDir, want))
		assert.NoError(t, err, "course material %s", want)
	}

	// Run the kernel from the replayed tree, as the image's / would.
	spec.Argv[0] = filepath.Join(root, spec.Argv[0])
	nb, err := nbformat.ReadFile(filepath.Join(root, CourseDir, "notebooks", "01-addresses.ipynb"))
	require.NoError(t, err)
	nb.Cells = firstCodeCells(nb.Cells, 2) // the imports and Get Hostname
	k, err := jupyter.StartKernel(spec, nil, os.Stderr)
	require.NoError(t, err)
	defer k.Close(5 * time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	c, err := k.Dial(ctx)
	require.NoError(t, err)
	defer c.Close()
	results, err := nbrun.Run(ctx, nb, c, nbrun.Options{})
	require.NoError(t, err)
	require.Len(t, results, 2)
	for _, r := range results {
		assert.Equal(t, nbrun.Passed, r.Status, "%s: %s\n%s", r.Name(), r.Reason, r.Diff)
	}
	require.NoError(t, c.Shutdown(ctx, false))
}

// firstCodeCells returns cells up to and including the n-th code cell.
func firstCodeCells(cells []*nbformat.Cell, n int) []*nbformat.Cell {
	for i, c := range cells {
		if c.Type == "code" {
			if n--; n == 0 {
				return cells[:i+1]
			}
		}
	}
	return cells
}

// Stage names what it could not find.
func TestStageMissingKernel(t *testing.T) {
	moduleDir, err := kernelbin.ModuleDir(context.Background())
	require.NoError(t, err)
	err = Stage(moduleDir, "/no/such/kernel", t.TempDir())
	assert.ErrorContains(t, err, "/no/such/kernel")
	err = Stage(t.TempDir(), os.Args[0], t.TempDir())
	assert.ErrorContains(t, err, "notebooks")
}

func TestParseContainerfile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "Containerfile")
	require.NoError(t, os.WriteFile(path, []byte("# c\nFROM debian:bookworm\n\nRUN a \\\n  && b\nCOPY --chown=x:y a b /c/\n"), 0o644))
	steps, err := parseContainerfile(path)
	require.NoError(t, err)
	require.Len(t, steps, 3)
	assert.Equal(t, instruction{4, "RUN", "a && b"}, steps[1])
	srcs, dst, err := copySources(steps[2].args)
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b"}, srcs)
	assert.Equal(t, "/c/", dst)
	_, _, err = copySources("--from=builder /x /y")
	assert.ErrorContains(t, err, "--from")

	require.NoError(t, os.WriteFile(path, []byte("RUN a \\\n"), 0o644))
	_, err = parseContainerfile(path)
	assert.ErrorContains(t, err, "continuation")
}
