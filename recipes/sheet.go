package recipes

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// A Snippet is a recipe's entry on the cheat sheet, read from the folder
// recipes/sheet (see package sheet there): a Go function named for the
// recipe and, beside it, a Python file making the same socket call.
type Snippet struct {
	Slug   string   // from the file's name: tcp_echo.go holds tcp-echo
	File   string   // the Go file's base name
	Func   string   // the function's name, the slug in Go's spelling
	Go     string   // the function's source, from "func" to its closing brace
	Lines  int      // lines of the function's body, between its braces
	Calls  []string // the calls the doc comment's "Calls:" line names
	Made   []string // the calls the body makes, as written: "unix.EpollWait"
	Python string   // the Python file's text
	// PythonNames are what the doc comment's "Python:" line names, each
	// of which the Python file contains.
	PythonNames []string
}

// ReadSheet reads the snippets in dir: every NAME.go file but doc.go and
// tests must hold a function whose name is the slug without hyphens, in
// any case, with "Calls:" and "Python:" lines in its doc comment, and
// have NAME.py beside it. A missing dir holds no snippets.
func ReadSheet(dir string) ([]Snippet, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	var out []Snippet
	fset := token.NewFileSet()
	for _, file := range files {
		base := filepath.Base(file)
		if base == "doc.go" || strings.HasSuffix(base, "_test.go") {
			continue
		}
		sn, err := readSnippet(fset, file)
		if err != nil {
			return nil, fmt.Errorf("recipes: cheat sheet %s: %w", file, err)
		}
		out = append(out, sn)
	}
	return out, nil
}

func readSnippet(fset *token.FileSet, file string) (Snippet, error) {
	base := filepath.Base(file)
	stem := strings.TrimSuffix(base, ".go")
	sn := Snippet{Slug: strings.ReplaceAll(stem, "_", "-"), File: base}
	src, err := os.ReadFile(file)
	if err != nil {
		return sn, err
	}
	f, err := parser.ParseFile(fset, file, src, parser.ParseComments)
	if err != nil {
		return sn, err
	}
	want := strings.ReplaceAll(stem, "_", "")
	var fn *ast.FuncDecl
	for _, d := range f.Decls {
		if d, ok := d.(*ast.FuncDecl); ok && d.Recv == nil && strings.EqualFold(d.Name.Name, want) {
			fn = d
		}
	}
	if fn == nil {
		return sn, fmt.Errorf("no function named for recipe %s (%s, in any case)", sn.Slug, want)
	}
	sn.Func = fn.Name.Name
	sn.Go = string(src[fset.Position(fn.Pos()).Offset:fset.Position(fn.End()).Offset])
	sn.Lines = fset.Position(fn.Body.Rbrace).Line - fset.Position(fn.Body.Lbrace).Line - 1
	for _, line := range strings.Split(fn.Doc.Text(), "\n") {
		if v, ok := strings.CutPrefix(line, "Calls:"); ok {
			sn.Calls = splitList(v)
		}
		if v, ok := strings.CutPrefix(line, "Python:"); ok {
			sn.PythonNames = splitList(v)
		}
	}
	if len(sn.Calls) == 0 || len(sn.PythonNames) == 0 {
		return sn, fmt.Errorf("%s: the doc comment needs a \"Calls:\" and a \"Python:\" line", sn.Func)
	}
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok {
			if name := calleeName(c.Fun); name != "" && !slices.Contains(sn.Made, name) {
				sn.Made = append(sn.Made, name)
			}
		}
		return true
	})
	py, err := os.ReadFile(filepath.Join(filepath.Dir(file), stem+".py"))
	if errors.Is(err, fs.ErrNotExist) {
		return sn, fmt.Errorf("no %s.py beside it", stem)
	}
	sn.Python = string(py)
	return sn, err
}

// calleeName spells a called name as written, "unix.EpollWait" or
// "net.DefaultResolver.LookupNetIP"; "" for a call of anything else.
func calleeName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		if x := calleeName(e.X); x != "" {
			return x + "." + e.Sel.Name
		}
	}
	return ""
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
