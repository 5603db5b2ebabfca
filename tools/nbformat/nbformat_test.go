package nbformat

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A notebook written by Jupyter's own writer comes back byte for byte.
func TestRoundTripJupyterFile(t *testing.T) {
	want, err := os.ReadFile("testdata/jupyter_written.ipynb")
	require.NoError(t, err)
	nb, err := Parse(want)
	require.NoError(t, err)
	got, err := nb.Marshal()
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got))
}

func TestParsedContent(t *testing.T) {
	nb, err := ReadFile("testdata/jupyter_written.ipynb")
	require.NoError(t, err)
	require.Len(t, nb.Cells, 5)
	assert.Equal(t, 5, nb.NbformatMinor)

	code := nb.Cells[2]
	assert.Equal(t, "code-1", code.ID)
	assert.Equal(t, "hostname", code.Recipe())
	assert.True(t, code.HasTag("raises-exception"))
	assert.Equal(t, 1, *code.ExecutionCount)
	require.Len(t, code.Outputs, 5)
	assert.Equal(t, "one\ntwo\r\nthree\rfour\ffive\n", code.Outputs[0].Text)
	assert.Equal(t, "<pre>\n12\n</pre>", code.Outputs[2].Data["text/html"])
	assert.Equal(t, `boom "quoted"`, code.Outputs[4].Evalue)

	assert.Nil(t, nb.Cells[3].ExecutionCount)
	assert.Equal(t, "", nb.Cells[3].Source)
	assert.Equal(t, "raw text\nno newline at end", nb.Cells[4].Source)
}

func TestSplitLinesMatchesPython(t *testing.T) {
	for in, want := range map[string][]string{
		"":             nil,
		"a":            {"a"},
		"a\n":          {"a\n"},
		"a\nb":         {"a\n", "b"},
		"a\r\nb\rc":    {"a\r\n", "b\r", "c"},
		"\n\n":         {"\n", "\n"},
		"x\u2028y":     {"x\u2028", "y"},
		"x\u0085y\x1c": {"x\u0085", "y\x1c"},
		"\r":           {"\r"},
	} {
		assert.Equal(t, want, splitLines(in), "%q", in)
	}
}

func TestParseErrorsNameThePlace(t *testing.T) {
	for name, c := range map[string]struct{ doc, want string }{
		"not json":     {`{`, "not JSON"},
		"version 3":    {`{"nbformat": 3, "nbformat_minor": 0, "cells": [], "metadata": {}}`, "version 3"},
		"bad cell":     {`{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code", "source": "", "metadata": {}, "execution_count": null, "outputs": [{"output_type": "nope"}]}]}`, "cell 0: output 0: unknown output_type \"nope\""},
		"bad source":   {`{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "markdown", "source": 3, "metadata": {}}]}`, "cell 0: \"source\" is a number"},
		"missing list": {`{"nbformat": 4, "nbformat_minor": 5, "metadata": {}}`, "\"cells\" is null or missing"},
	} {
		_, err := Parse([]byte(c.doc))
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), c.want, name)
	}
}

// randomNotebook builds a notebook with awkward text in every field.
func randomNotebook(r *rand.Rand) *Notebook {
	pieces := []string{"a", "é", "✓", "\n", "\r\n", "\r", "\t", "\"", "\\", "<", ">", "&", "\x01", "\x7f", "\u2028", "\f", " ", "}", "["}
	text := func() string {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		return b.String()
	}
	nb := &Notebook{Nbformat: 4, NbformatMinor: 5, Metadata: map[string]any{"k" + text(): text()}}
	for i := range 1 + r.IntN(6) {
		id := fmt.Sprintf("cell-%d", i)
		switch r.IntN(3) {
		case 0:
			nb.Cells = append(nb.Cells, &Cell{ID: id, Type: "markdown", Source: text(), Metadata: map[string]any{}})
		case 1:
			nb.Cells = append(nb.Cells, &Cell{ID: id, Type: "raw", Source: text(), Metadata: map[string]any{}})
		default:
			n := r.IntN(5)
			c := &Cell{ID: id, Type: "code", Source: text(), Metadata: map[string]any{"tags": []any{fmt.Sprintf("tag-%d", n)}}, ExecutionCount: &n}
			c.Outputs = []*Output{
				{Type: "stream", Name: "stdout", Text: text()},
				{Type: "execute_result", ExecutionCount: &n, Data: map[string]any{"text/plain": text()}, Metadata: map[string]any{}},
				{Type: "error", Ename: text(), Evalue: text(), Traceback: []string{text()}},
			}
			nb.Cells = append(nb.Cells, c)
		}
	}
	return nb
}

// Differential test against Jupyter's writer: what we write, nbformat
// reads and writes back unchanged. Runs where Debian's python3-nbformat is
// installed (CI installs it).
func TestWriterMatchesJupyter(t *testing.T) {
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import nbformat").Run(); err != nil {
		testenv.Skip(t, testenv.Jupyter, fmt.Sprintf("needs Debian's python3-nbformat for %s: %v", py, err))
	}
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(1, 2))
	const n = 200
	for i := range n {
		data, err := randomNotebook(r).Marshal()
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, fmt.Sprintf("%03d.ipynb", i)), data, 0o644))
	}
	script := `
import glob, sys, nbformat
for path in sorted(glob.glob(sys.argv[1] + "/*.ipynb")):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    with open(path + ".py", "w", encoding="utf-8") as f:
        nbformat.write(nb, f)
`
	out, err := exec.Command(py, "-c", script, dir).CombinedOutput()
	require.NoError(t, err, "%s", out)
	for i := range n {
		path := filepath.Join(dir, fmt.Sprintf("%03d.ipynb", i))
		ours, err := os.ReadFile(path)
		require.NoError(t, err)
		theirs, err := os.ReadFile(path + ".py")
		require.NoError(t, err)
		if !bytes.Equal(ours, theirs) {
			t.Fatalf("notebook %d: Jupyter writes it differently\nours:\n%s\njupyter:\n%s", i, ours, theirs)
		}
	}
}
