package cellsrc

import (
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
)

// runKind says how a run of chunks is parsed.
type runKind int

const (
	stmtRun   runKind = iota // statements, parsed as a function body
	declRun                  // named func and method declarations, parsed as a file
	importRun                // import declarations, parsed as a file
)

// run is a stretch of a cell, [start, end) in bytes, whose chunks are all
// parsed the same way.
type run struct {
	kind       runKind
	start, end int
	last       int // where the run's last chunk (top-level statement) starts
}

// Prefixes and suffix that make a run a Go file.
const (
	filePrefix = "package p;"
	bodyPrefix = "package p;func _(){"
	bodySuffix = "\n}"
)

// split cuts the cell into runs at bracket depth 0 where statements start.
// The last run ends at the end of the cell. A closing bracket that matches
// no opening one is returned as an error; depth is the number of brackets
// left open.
func split(c *cell) (runs []run, depth int, bad *srcError) {
	var stack []token.Token
	atStart := true
	var sig []item
	for _, it := range c.items {
		if it.tok != token.COMMENT {
			sig = append(sig, it)
		}
	}
	for i, it := range sig {
		switch it.tok {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			stack = append(stack, it.tok)
		case token.RPAREN, token.RBRACK, token.RBRACE:
			if len(stack) == 0 || stack[len(stack)-1] != opener(it.tok) {
				return runs, len(stack), &srcError{off: it.pos, msg: "unexpected " + it.tok.String()}
			}
			stack = stack[:len(stack)-1]
		}
		if it.tok == token.SEMICOLON {
			atStart = atStart || len(stack) == 0
			continue
		}
		if !atStart {
			continue
		}
		atStart = false
		kind := chunkKind(sig, i)
		n := len(runs)
		if n > 0 && (runs[n-1].kind == kind || runs[n-1].kind == importRun && kind == declRun) {
			if kind == declRun {
				runs[n-1].kind = declRun
			}
			runs[n-1].last = it.pos
			continue
		}
		if n > 0 {
			runs[n-1].end = it.pos
		}
		runs = append(runs, run{kind: kind, start: it.pos, last: it.pos})
	}
	if n := len(runs); n > 0 {
		runs[n-1].end = len(c.src)
	}
	return runs, len(stack), nil
}

// opener is the opening bracket that closing bracket tok matches.
func opener(tok token.Token) token.Token {
	switch tok {
	case token.RPAREN:
		return token.LPAREN
	case token.RBRACK:
		return token.LBRACK
	}
	return token.LBRACE
}

// chunkKind classifies the statement that starts at sig[i]: an import, a
// named func or method declaration, or anything else. sig holds no comments.
func chunkKind(sig []item, i int) runKind {
	switch {
	case sig[i].tok == token.IMPORT:
		return importRun
	case sig[i].tok != token.FUNC || i+1 >= len(sig):
		return stmtRun
	case sig[i+1].tok == token.IDENT:
		return declRun
	case sig[i+1].tok != token.LPAREN:
		return stmtRun
	}
	// func (...) — a method's receiver, or a function literal's parameters.
	// A method's name follows the closing parenthesis; a literal's result
	// type may be a name too, but then a body, a selector or type
	// arguments come next, never a parameter list.
	depth := 0
	for j := i + 1; j < len(sig); j++ {
		switch sig[j].tok {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			depth++
			continue
		case token.RPAREN, token.RBRACK, token.RBRACE:
			depth--
			if depth > 0 {
				continue
			}
		default:
			continue
		}
		if j+1 >= len(sig) || sig[j+1].tok != token.IDENT {
			return stmtRun
		}
		if j+2 < len(sig) {
			switch sig[j+2].tok {
			case token.LBRACE, token.PERIOD, token.LBRACK:
				return stmtRun
			}
		}
		return declRun
	}
	// The receiver or parameters are still open: either way the cell is
	// incomplete, and a file reports it at the end.
	return declRun
}

// parseRun parses r. It returns the file and the parse errors, at offsets
// in the cell; an error in the text added after the run is at r.end.
func parseRun(src string, r run, mode parser.Mode) (*ast.File, []srcError) {
	prefix, suffix := filePrefix, ""
	if r.kind == stmtRun {
		prefix, suffix = bodyPrefix, bodySuffix
	}
	text := prefix + src[r.start:r.end] + suffix
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", text, mode|parser.SkipObjectResolution)
	toCell := func(off int) int {
		return max(0, min(off-len(prefix), r.end-r.start)) + r.start
	}
	var errs []srcError
	if list, ok := err.(scanner.ErrorList); ok {
		for _, e := range list {
			errs = append(errs, srcError{off: toCell(e.Pos.Offset), msg: e.Msg})
		}
	} else if err != nil {
		errs = append(errs, srcError{off: r.start, msg: err.Error()})
	}
	if f != nil && err == nil && r.kind != stmtRun {
		// A cell's functions need bodies (when nothing else is wrong:
		// "func f(" at the end of a cell has none either).
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body == nil {
				errs = append(errs, srcError{off: toCell(fset.Position(fd.Pos()).Offset), msg: "missing function body"})
			}
		}
	}
	return f, errs
}
