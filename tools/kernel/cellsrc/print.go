package cellsrc

import (
	"go/ast"
	"go/parser"
	"strconv"
)

// EndsInPrintCall reports whether the cell's last top-level statement is
// an expression statement that calls fmt.Print, Println, Printf, Fprint,
// Fprintln or Fprintf, so that the values the call returns are not worth
// showing. fmt is the name the cell imports "fmt" under, if it imports it
// (a dot import makes a bare Println count), else "fmt". A call in a block,
// go or defer statement, or an assignment does not count, nor does a cell
// that does not parse.
func EndsInPrintCall(code string) bool {
	c := scan(code)
	runs, _, bad := split(c)
	if bad != nil || len(runs) == 0 || runs[len(runs)-1].kind != stmtRun {
		return false
	}
	f, errs := parseRun(c.src, runs[len(runs)-1], 0)
	if len(errs) > 0 || f == nil || len(f.Decls) != 1 {
		return false
	}
	fd, ok := f.Decls[0].(*ast.FuncDecl)
	if !ok || fd.Body == nil {
		return false
	}
	list := fd.Body.List
	for len(list) > 0 {
		if _, empty := list[len(list)-1].(*ast.EmptyStmt); !empty {
			break
		}
		list = list[:len(list)-1]
	}
	if len(list) == 0 {
		return false
	}
	last := list[len(list)-1]
	for {
		l, ok := last.(*ast.LabeledStmt)
		if !ok {
			break
		}
		last = l.Stmt
	}
	es, ok := last.(*ast.ExprStmt)
	if !ok {
		return false
	}
	call, ok := ast.Unparen(es.X).(*ast.CallExpr)
	if !ok {
		return false
	}
	names := fmtNames(c.src, runs)
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.SelectorExpr:
		x, ok := fun.X.(*ast.Ident)
		return ok && names[x.Name] && isPrint(fun.Sel.Name)
	case *ast.Ident:
		return names["."] && isPrint(fun.Name)
	}
	return false
}

// isPrint reports whether name is one of fmt's functions that print.
func isPrint(name string) bool {
	switch name {
	case "Print", "Println", "Printf", "Fprint", "Fprintln", "Fprintf":
		return true
	}
	return false
}

// fmtNames returns the names under which the cell imports "fmt" ("." for
// a dot import), or just "fmt" if it does not import it.
func fmtNames(src string, runs []run) map[string]bool {
	names := make(map[string]bool)
	for _, r := range runs {
		if r.kind == stmtRun {
			continue
		}
		f, _ := parseRun(src, r, parser.ImportsOnly)
		if f == nil {
			continue
		}
		for _, spec := range f.Imports {
			if path, err := strconv.Unquote(spec.Path.Value); err != nil || path != "fmt" {
				continue
			}
			name := "fmt"
			if spec.Name != nil {
				name = spec.Name.Name
			}
			if name != "_" {
				names[name] = true
			}
		}
	}
	if len(names) == 0 {
		names["fmt"] = true
	}
	return names
}
