package recipes_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/recipes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// maxSnippetLines bounds a cheat sheet snippet: a Go function's body, and
// a Python file.
const maxSnippetLines = 15

// TestSheet checks the cheat sheet's snippets in recipes/sheet against
// the table.
func TestSheet(t *testing.T) {
	rs, err := recipes.All()
	require.NoError(t, err)
	sns, err := recipes.ReadSheet("sheet")
	require.NoError(t, err)
	for _, p := range checkSheet(rs, sns) {
		t.Error(p)
	}
}

// checkSheet returns what is wrong with sns as the cheat sheet of rs:
// every recipe has exactly one snippet and every snippet a recipe; a Go
// body and a Python file are at most maxSnippetLines long; the body makes
// every call its "Calls:" line names, and the Python file holds every
// name its "Python:" line names.
func checkSheet(rs []recipes.Recipe, sns []recipes.Snippet) []string {
	var problems []string
	bySlug := map[string]recipes.Snippet{}
	for _, sn := range sns {
		bySlug[sn.Slug] = sn
		if !slices.ContainsFunc(rs, func(r recipes.Recipe) bool { return r.Slug == sn.Slug }) {
			problems = append(problems, fmt.Sprintf("%s: recipe %q is not in recipes.tsv", sn.File, sn.Slug))
		}
	}
	for _, r := range rs {
		sn, ok := bySlug[r.Slug]
		if !ok {
			problems = append(problems, fmt.Sprintf("recipe %s has no snippet (sheet/%s.go)", r.Slug, strings.ReplaceAll(r.Slug, "-", "_")))
			continue
		}
		if sn.Lines > maxSnippetLines {
			problems = append(problems, fmt.Sprintf("%s: %s has %d lines, more than %d", sn.File, sn.Func, sn.Lines, maxSnippetLines))
		}
		if n := strings.Count(strings.TrimRight(sn.Python, "\n"), "\n") + 1; n > maxSnippetLines {
			problems = append(problems, fmt.Sprintf("%s: the Python has %d lines, more than %d", sn.File, n, maxSnippetLines))
		}
		for _, c := range sn.Calls {
			if !slices.Contains(sn.Made, c) {
				problems = append(problems, fmt.Sprintf("%s: %s does not call %s, which its Calls: line names (it calls %s)", sn.File, sn.Func, c, strings.Join(sn.Made, ", ")))
			}
		}
		for _, name := range sn.PythonNames {
			if !strings.Contains(sn.Python, name) {
				problems = append(problems, fmt.Sprintf("%s: the Python does not contain %s, which its Python: line names", sn.File, name))
			}
		}
	}
	return problems
}

func TestCheckSheetFindsProblems(t *testing.T) {
	rs, err := recipes.Parse(tableHeader +
		"a\t01-x\tA\t-\tpkg/x\t-\t-\tyes\t-\n" +
		"b\t01-x\tB\t-\tpkg/x\t-\t-\tyes\t-\n" +
		"c\t01-x\tC\t-\tpkg/x\t-\t-\tyes\t-\n")
	require.NoError(t, err)
	good := recipes.Snippet{Slug: "a", File: "a.go", Func: "A", Lines: 15, Calls: []string{"unix.EpollWait"},
		Made: []string{"unix.EpollCreate1", "unix.EpollWait"}, Python: "import select\nselect.epoll()\n", PythonNames: []string{"select.epoll"}}
	require.Empty(t, checkSheet(rs[:1], []recipes.Snippet{good}))
	long, wrongCall, stray := good, good, good
	long.Slug, long.File, long.Lines, long.Python = "b", "b.go", 16, strings.Repeat("pass\n", 16)
	wrongCall.Slug, wrongCall.File, wrongCall.Made, wrongCall.Python = "c", "c.go", []string{"unix.EpollCreate1"}, "select.poll()\n"
	stray.Slug, stray.File = "zzz", "zzz.go"
	problems := strings.Join(checkSheet(rs, []recipes.Snippet{long, wrongCall, stray}), "\n")
	for _, want := range []string{
		`zzz.go: recipe "zzz" is not in recipes.tsv`,
		"recipe a has no snippet (sheet/a.go)",
		"b.go: A has 16 lines, more than 15",
		"b.go: the Python has 16 lines",
		"c.go: A does not call unix.EpollWait",
		"c.go: the Python does not contain select.epoll",
	} {
		assert.Contains(t, problems, want)
	}
}

func TestReadSheet(t *testing.T) {
	sns, err := recipes.ReadSheet("sheet")
	require.NoError(t, err)
	i := slices.IndexFunc(sns, func(sn recipes.Snippet) bool { return sn.Slug == "epoll-server" })
	require.GreaterOrEqual(t, i, 0)
	ep := sns[i]
	assert.Equal(t, "EpollServer", ep.Func)
	assert.True(t, strings.HasPrefix(ep.Go, "func EpollServer("), "the source starts at func, without the doc comment")
	assert.True(t, strings.HasSuffix(ep.Go, "\n}"))
	assert.Equal(t, strings.Count(ep.Go, "\n")-1, ep.Lines)
	assert.Equal(t, []string{"unix.EpollCreate1", "unix.EpollCtl", "unix.EpollWait"}, ep.Calls)
	assert.Contains(t, ep.Python, "select.epoll()")

	dir := t.TempDir()
	write := func(name, text string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644))
	}
	write("tcp_echo.go", "package sheet\n\n// TCPEcho echoes.\nfunc TCPEcho() {}\n")
	_, err = recipes.ReadSheet(dir)
	require.ErrorContains(t, err, `needs a "Calls:" and a "Python:" line`)
	write("tcp_echo.go", "package sheet\n\n// Calls: x\n// Python: y\nfunc Other() {}\n")
	_, err = recipes.ReadSheet(dir)
	require.ErrorContains(t, err, "no function named for recipe tcp-echo")
	write("tcp_echo.go", "package sheet\n\n// Calls: x\n// Python: y\nfunc TcpEcho() {}\n")
	_, err = recipes.ReadSheet(dir)
	require.ErrorContains(t, err, "no tcp_echo.py beside it")
}

// TestSheetPython parses every Python file of the cheat sheet with
// Python's own parser.
func TestSheetPython(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		testenv.Skip(t, testenv.Jupyter, "no python3 on PATH")
	}
	files, err := filepath.Glob(filepath.Join("sheet", "*.py"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	script := "import ast, sys\nfor f in sys.argv[1:]:\n    ast.parse(open(f).read(), f)\n"
	out, err := exec.Command(python, append([]string{"-c", script}, files...)...).CombinedOutput()
	require.NoError(t, err, "%s", out)
}

// TestSheetVetsElsewhere vets the snippets for macOS and FreeBSD, where
// the kqueue one is compiled and the Linux ones are not.
func TestSheetVetsElsewhere(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-vetting compiles golang.org/x/sys for two systems; not with -short")
	}
	for _, goos := range []string{"darwin", "freebsd"} {
		cmd := exec.Command("go", "vet", "./sheet")
		cmd.Env = append(os.Environ(), "GOOS="+goos)
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "GOOS=%s go vet ./sheet: %s", goos, out)
	}
}
