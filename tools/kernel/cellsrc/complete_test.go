package cellsrc

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIsComplete(t *testing.T) {
	tests := []struct {
		name, code, status, indent string
	}{
		// Complete.
		{"empty", "", "complete", ""},
		{"blank", " \n\t\n", "complete", ""},
		{"only a comment", "// notes", "complete", ""},
		{"brace in a line comment", "x := 1 // {", "complete", ""},
		{"brace in a general comment", "x := 1 /* { ( [ */", "complete", ""},
		{"comment after a statement", "x := 1 // done", "complete", ""},
		{"expression", "6 * 7", "complete", ""},
		{"short variable declaration", "x := 1", "complete", ""},
		{"bare return", "return", "complete", ""},
		{"import then call", "import \"fmt\"\nfmt.Println(\"hi\")", "complete", ""},
		{"import group", "import (\n\t\"fmt\"\n\n\t\"github.com/sockbook/sockbook/pkg/addr\"\n)\n", "complete", ""},
		{"func then statements", "func f() int { return 1 }\nx := f()\nx", "complete", ""},
		{"type, var, assignment", "type T struct{ A int }\nvar t T\nt.A = 3", "complete", ""},
		{"method", "type T int\nfunc (t T) M() {}", "complete", ""},
		{"method with pointer receiver", "func (t *T) M(x int) (int, error) {\n\treturn x, nil\n}", "complete", ""},
		{"import after a statement", "x := 1\nimport \"fmt\"\nfmt.Println(x)", "complete", ""},
		{"import after a func", "func f() {}\nimport \"fmt\"\nf()", "complete", ""},
		{"func between statements", "x := 1\nfunc f() int { return 2 }\ny := f() + x\ny", "complete", ""},
		{"label", "L:\n\tfor {\n\t\tbreak L\n\t}", "complete", ""},
		{"goroutine", "go func() {\n\tdone <- true\n}()", "complete", ""},
		{"function literal called first", "func() {\n\tfmt.Println(1)\n}()", "complete", ""},
		{"function literal with result", "func() int { return 1 }()", "complete", ""},
		{"func literal assigned", "f := func(x int) int { return x }\nf(1)", "complete", ""},
		{"if else", "if x > 1 {\n\tx--\n} else {\n\tx++\n}", "complete", ""},
		{"for with semicolons", "for i := 0; i < 3; i++ {\n\tfmt.Println(i)\n}", "complete", ""},
		{"switch", "switch x {\ncase 1:\n\ty()\ndefault:\n}", "complete", ""},
		{"select", "select {\ncase v := <-ch:\n\t_ = v\ndefault:\n}", "complete", ""},
		{"top-level defer", "defer conn.Close()", "complete", ""},
		{"const group", "const (\n\ta = iota\n\tb\n)", "complete", ""},
		{"explicit semicolons", "x := 1; y := 2; x + y", "complete", ""},
		{"func after a semicolon", "x := 1; func f() {}", "complete", ""},
		{"CRLF", "if x {\r\n\ty()\r\n}\r\nx\r\n", "complete", ""},
		{"CRLF raw string", "s := `a\r\nb`\r\ns", "complete", ""},
		{"tabs", "\tx := 1\n\t\tx", "complete", ""},
		{"unicode identifiers", "größe := 3\nπ := 3.14\nfmt.Println(größe, π)", "complete", ""},
		{"commands first", "%cd /tmp\n$ls -l\n\nx := 1", "complete", ""},
		{"indented command", "  %help\nx", "complete", ""},
		{"only commands", "%cd /tmp\n", "complete", ""},
		{"raw string with a brace", "s := `{`", "complete", ""},
		{"struct literal over lines", "o := Options{\n\tA: 1,\n\tB: 2,\n}", "complete", ""},
		{"channel receive", "<-done", "complete", ""},
		{"increment", "x++", "complete", ""},
		{"type assertion", "ln.Addr().(*net.TCPAddr).Port", "complete", ""},

		// Incomplete.
		{"open brace", "if x {", "incomplete", "\t"},
		{"open brace, indented", "\tfor {", "incomplete", "\t\t"},
		{"open brace, spaces", "    for {", "incomplete", "    \t"},
		{"two opened on a line", "go func() {", "incomplete", "\t"},
		{"inside a block", "if x {\n\ty()", "incomplete", "\t"},
		{"inside a block, trailing newline", "if x {\n\ty()\n", "incomplete", "\t"},
		{"else opens", "if x {\n\ty()\n} else {", "incomplete", "\t"},
		{"open paren", "fmt.Println(", "incomplete", "\t"},
		{"open bracket", "xs := []int{1, 2,", "incomplete", "\t"},
		{"open func", "func f() {", "incomplete", "\t"},
		{"open method", "func (t T) M() {\n\tif t > 0 {", "incomplete", "\t\t"},
		{"open import group", "import (\n\t\"fmt\"", "incomplete", "\t"},
		{"case clause", "switch x {\ncase 1:", "incomplete", "\t"},
		{"raw string", "s := `abc", "incomplete", ""},
		{"raw string over lines", "s := `abc\n  def", "incomplete", ""},
		{"general comment", "x := 1 /* more", "incomplete", ""},
		{"general comment alone", "/* more\n\tand more", "incomplete", "\t"},
		{"plus", "x := 1 +", "incomplete", ""},
		{"and and", "ok := a &&", "incomplete", ""},
		{"equals", "x =", "incomplete", ""},
		{"define", "x :=", "incomplete", ""},
		{"add assign", "x +=", "incomplete", ""},
		{"shift", "x <<", "incomplete", ""},
		{"and not", "x &^", "incomplete", ""},
		{"send", "ch <-", "incomplete", ""},
		{"less or equal", "x <=", "incomplete", ""},
		{"comma", "a, b := 1,", "incomplete", ""},
		{"dot", "fmt.", "incomplete", ""},
		{"dot then comment", "fmt. // what", "incomplete", ""},
		{"func keyword", "f := func", "incomplete", ""},
		{"if keyword", "if", "incomplete", ""},
		{"for keyword", "for", "incomplete", ""},
		{"switch keyword", "switch", "incomplete", ""},
		{"select keyword", "select", "incomplete", ""},
		{"go keyword", "go", "incomplete", ""},
		{"defer keyword", "defer", "incomplete", ""},
		{"else keyword", "if x {\n} else", "incomplete", ""},
		{"var keyword", "var", "incomplete", ""},
		{"const keyword", "const", "incomplete", ""},
		{"type keyword", "type", "incomplete", ""},
		{"import keyword", "import", "incomplete", ""},
		{"chan keyword", "var c chan", "incomplete", ""},
		{"map keyword", "m := map", "incomplete", ""},
		{"struct keyword", "type T struct", "incomplete", ""},
		{"interface keyword", "type I interface", "incomplete", ""},
		{"range keyword", "for x := range", "incomplete", ""},
		{"type without its type", "type T", "incomplete", ""},
		{"method without parameters", "func (t T) M", "incomplete", ""},
		{"incomplete after commands", "%cd /tmp\nif x {", "incomplete", "\t"},
		{"CRLF open", "if x {\r\n\ty()\r\n", "incomplete", "\t"},

		// Invalid.
		{"parens backwards", "x := )(", "invalid", ""},
		{"double equals sign", "x := = 1", "invalid", ""},
		{"stray brace", "}", "invalid", ""},
		{"stray brace after code", "x := 1\n}", "invalid", ""},
		{"mismatched brackets", "f(]", "invalid", ""},
		{"string broken by a newline", "s := \"abc\ndef\"", "invalid", ""},
		{"unterminated string", "s := \"abc", "invalid", ""},
		{"unterminated rune", "r := 'a", "invalid", ""},
		{"illegal character", "x := 1 @ 2", "invalid", ""},
		{"illegal character at the end", "x := 1 #", "invalid", ""},
		{"NUL", "x := 1\x00", "invalid", ""},
		{"else on its own line", "if x {\n}\nelse {\n}", "invalid", ""},
		{"error before an open brace", "x := = 1\nif x {", "invalid", ""},
		{"error before a trailing operator", "x := )\ny +", "invalid", ""},
		{"error before a raw string", "x := = 1\ns := `abc", "invalid", ""},
		{"newline error in an open literal", "xs := []int{\n\t1,\n\t2\n\t", "invalid", ""},
		{"newline after if (invalid Go, not caught)", "if x\n", "incomplete", ""},
		{"unfinished assignment", "a, b", "invalid", ""},
		{"go func literal, body open", "go func() {\n\t// comment\n", "incomplete", "\t"},
		{"error in an if header", "if x := = 1; x {", "invalid", ""},
		{"error in the unfinished last statement", "for {\n\tx := = 1\n", "incomplete", "\t"},
		{"function without a body", "func f()", "invalid", ""},
		{"missing comma before newline", "xs := []int{\n\t1,\n\t2\n", "invalid", ""},
		{"command after Go", "x := 1\n%cd /tmp", "invalid", ""},
		{"keyword as name", "func := 1", "invalid", ""},
		{"bad number", "x := 0x", "invalid", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, indent := IsComplete(tt.code)
			assert.Equal(t, tt.status, status, "%q", tt.code)
			assert.Equal(t, tt.indent, indent, "%q", tt.code)
		})
	}
}

// TestIsCompleteNotebooks checks every code cell of the notebooks.
func TestIsCompleteNotebooks(t *testing.T) {
	cells := notebookCells(t)
	require.NotEmpty(t, cells)
	for _, c := range cells {
		status, indent := IsComplete(c.code)
		assert.Equal(t, "complete", status, "%s cell %d:\n%s", c.file, c.index, c.code)
		assert.Empty(t, indent)
		// Typing the cell line by line, the console asks after each
		// line: never "invalid" before the end.
		lines := strings.SplitAfter(c.code, "\n")
		for i := 1; i < len(lines); i++ {
			prefix := strings.Join(lines[:i], "")
			status, _ := IsComplete(prefix)
			assert.NotEqual(t, "invalid", status, "%s cell %d, first %d lines:\n%s", c.file, c.index, i, prefix)
		}
	}
}

type notebookCell struct {
	file  string
	index int
	code  string
}

// notebookCells returns the code cells of the repository's notebooks.
func notebookCells(t testing.TB) []notebookCell {
	files, err := filepath.Glob("../../../notebooks/*.ipynb")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	var cells []notebookCell
	for _, file := range files {
		data, err := os.ReadFile(file)
		require.NoError(t, err)
		var nb struct {
			Cells []struct {
				CellType string          `json:"cell_type"`
				Source   json.RawMessage `json:"source"`
			} `json:"cells"`
		}
		require.NoError(t, json.Unmarshal(data, &nb), file)
		for i, c := range nb.Cells {
			if c.CellType != "code" {
				continue
			}
			cells = append(cells, notebookCell{file: filepath.Base(file), index: i, code: joinSource(t, c.Source)})
		}
	}
	return cells
}

// joinSource reads a notebook cell's source: a list of strings, or one.
func joinSource(t testing.TB, raw json.RawMessage) string {
	var lines []string
	if err := json.Unmarshal(raw, &lines); err == nil {
		return strings.Join(lines, "")
	}
	var s string
	require.NoError(t, json.Unmarshal(raw, &s))
	return s
}

// FuzzIsComplete checks that IsComplete never panics, returns a known
// status with an indent only when incomplete, and that a complete cell
// stays complete with a newline after it (as a console sends it).
func FuzzIsComplete(f *testing.F) {
	for _, s := range []string{
		"", "x := 1", "if x {\n", "s := `abc", "/* x", "import \"fmt\"\nfmt.Println(1)",
		"func (t T) M() {}\nt.M()", "%cd /tmp\nx", "x := )(", "L:\nfor {}", "x // c",
		"go func() {}()", "a := []int{\n1,\n2,\n}", "s := \"a\\\"b\"", "x := 'a'",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		status, indent := IsComplete(code)
		switch status {
		case "complete", "invalid":
			if indent != "" {
				t.Fatalf("IsComplete(%q) = %q, %q: indent without incomplete", code, status, indent)
			}
		case "incomplete":
		default:
			t.Fatalf("IsComplete(%q): status %q", code, status)
		}
		if strings.Trim(indent, " \t") != "" {
			t.Fatalf("IsComplete(%q): indent %q is not blanks", code, indent)
		}
		if status == "complete" {
			if s, _ := IsComplete(code + "\n"); s != "complete" {
				t.Fatalf("IsComplete(%q) = complete, but with a newline after it %q", code, s)
			}
		}
		// The other functions must not panic either.
		EndsInPrintCall(code)
		for _, cursor := range []int{0, len(code) / 2, len(code)} {
			IdentAt(code, cursor)
		}
	})
}

func BenchmarkIsComplete(b *testing.B) {
	code := benchCell(b)
	b.SetBytes(int64(len(code)))
	for b.Loop() {
		IsComplete(code)
	}
}

func BenchmarkIdentAt(b *testing.B) {
	code := benchCell(b)
	cursor := strings.Index(code, "addr.InetNtoa") + len("addr.In")
	for b.Loop() {
		IdentAt(code, cursor)
	}
}

func BenchmarkEndsInPrintCall(b *testing.B) {
	code := benchCell(b)
	for b.Loop() {
		EndsInPrintCall(code)
	}
}

// benchCell is a 50-line cell in the notebooks' style.
func benchCell(b *testing.B) string {
	code := `import (
	"context"
	"fmt"
	"net"

	"github.com/sockbook/sockbook/pkg/addr"
)

// stop ends a server started in a goroutine that sends Serve's result on done.
func stop(cancel context.CancelFunc, done chan error) {
	cancel()
	if err := <-done; err != nil {
		fmt.Println("server failed:", err)
		return
	}
	fmt.Println("server stopped")
}

ln, err := net.Listen("tcp4", "127.0.0.1:0") // socket, bind, listen
if err != nil {
	panic(err)
}
served := make(chan error, 1)
go func() {
	conn, err := ln.Accept()
	if err != nil {
		served <- err
		return
	}
	defer conn.Close()
	buf := make([]byte, 1024)
	n, err := conn.Read(buf)
	if err == nil {
		_, err = conn.Write(buf[:n])
	}
	served <- err
}()
for _, s := range []string{"127.0.0.1", "127.1", "0x7f.1", "010.1"} {
	b, err := addr.InetAton(s)
	if err != nil {
		fmt.Printf("%-12s inet_aton: %v\n", s, err)
		continue
	}
	fmt.Printf("%-12s %s\n", s, addr.InetNtoa(b))
}
conn, err := net.Dial("tcp4", ln.Addr().String())
fmt.Println("dialed:", err)
conn.Close()
ln.Close()
fmt.Println(<-served)
`
	if n := strings.Count(code, "\n"); n != 50 {
		b.Fatalf("bench cell has %d lines", n)
	}
	if status, _ := IsComplete(code); status != "complete" {
		b.Fatalf("bench cell is %s", status)
	}
	return code
}
