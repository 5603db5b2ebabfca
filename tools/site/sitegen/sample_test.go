package sitegen

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/sockbook/sockbook/tools/nbformat"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the sample notebooks in testdata/content/notebooks")

// The sample content in testdata/content is test data for the generator,
// not chapters: its code and outputs exist to exercise every kind of cell
// the site renders, and say so in their text.

func md(slug, src string) *nbformat.Cell {
	c := &nbformat.Cell{Type: "markdown", Source: src, Metadata: map[string]any{}}
	if slug != "" {
		c.Metadata["sockbook"] = map[string]any{"recipe": slug}
	}
	return c
}

func code(src string, meta map[string]any, outs ...*nbformat.Output) *nbformat.Cell {
	if meta == nil {
		meta = map[string]any{}
	}
	return &nbformat.Cell{Type: "code", Source: src, Metadata: meta, Outputs: outs}
}

func stdout(text string) *nbformat.Output {
	return &nbformat.Output{Type: "stream", Name: "stdout", Text: text}
}

func sampleNotebooks() map[string]*nbformat.Notebook {
	meta := map[string]any{"kernelspec": map[string]any{"name": "sockbook", "display_name": "sockbook (Go)", "language": "go"}}
	nb := func(cells ...*nbformat.Cell) *nbformat.Notebook {
		for i, c := range cells {
			c.ID = "sample-" + string(rune('a'+i))
		}
		return &nbformat.Notebook{Metadata: meta, Cells: cells, Nbformat: 4, NbformatMinor: 5}
	}
	return map[string]*nbformat.Notebook{
		"02-tcp": nb(
			md("", "# TCP (sample chapter)\n\nThis notebook is **test data** for the site generator. See [the event loop sample](06-event-loops.ipynb#epoll-server) and [the course](../tutorials/README.md).\n\n| Python | Go | Note |\n| --- | --- | --- |\n| `socket.socket()` | `net.Listen` | sample row |\n| `sock.accept()` | `ln.Accept` | sample row |\n"),
			md("tcp-echo", "## Echo server\n\nA sample section with a tagged cheat sheet cell.[^1]\n\n[^1]: A footnote, to check footnotes render.\n\n<script>alert('raw HTML must not pass')</script>"),
			code("ln, err := net.Listen(\"tcp\", \"127.0.0.1:0\")\nfmt.Println(err)", nil, stdout("<nil>\n")),
			code("fmt.Println(\"sample <key> line\")", map[string]any{"tags": []any{"cheatsheet"}}, stdout("sample <key> line\n")),
			code("panic(\"sample failure\")", map[string]any{"tags": []any{"raises-exception"}},
				&nbformat.Output{Type: "error", Ename: "panic", Evalue: "sample failure", Traceback: []string{"\x1b[31mpanic: sample failure\x1b[0m"}}),
			md("dual-stack", "## Dual stack\n\nA section that needs root for one cell."),
			code("fmt.Println(\"needs root\")", map[string]any{"sockbook": map[string]any{"requires": []any{"root", "ipv6"}}},
				&nbformat.Output{Type: "stream", Name: "stderr", Text: "sample warning\n"},
				&nbformat.Output{Type: "execute_result", Data: map[string]any{"text/plain": "42", "text/html": "<b>never shown</b>"}}),
		),
		"06-event-loops": nb(
			md("", "# Event loops (sample chapter)\n\nTest data for the site generator.\n\n| Python | Go |\n| --- | --- |\n| `select.epoll()` | `unix.EpollCreate1` |\n"),
			md("epoll-server", "## Epoll server\n\nA sample epoll section.\n\n### Waiting for events\n\nSample text."),
			code("fd, _ := unix.EpollCreate1(unix.EPOLL_CLOEXEC)\nfmt.Println(fd > 0)", nil, stdout("true\n")),
			md("select-server", "## Select server -- \"ready\" sets & `fd_set` &lt;masks&gt;\n\nA sample section whose first code cell is its cheat sheet entry.\n\n### Waiting for events\n\nThe same heading text again gets its own id."),
			code("fmt.Println(\"select sample\")", map[string]any{"tags": []any{"skip-execution"}}),
		),
	}
}

func TestSampleNotebooksUpToDate(t *testing.T) {
	dir := filepath.Join("testdata", "content", "notebooks")
	for name, nb := range sampleNotebooks() {
		path := filepath.Join(dir, name+".ipynb")
		want, err := nb.Marshal()
		require.NoError(t, err)
		if *update {
			require.NoError(t, os.MkdirAll(dir, 0o755))
			require.NoError(t, os.WriteFile(path, want, 0o644))
			continue
		}
		got, err := os.ReadFile(path)
		require.NoError(t, err, "run go test ./tools/site/sitegen -run TestSampleNotebooksUpToDate -update")
		require.Equal(t, string(want), string(got), "%s is stale: rerun with -update", path)
	}
}
