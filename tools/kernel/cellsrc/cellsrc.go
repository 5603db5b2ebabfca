// Package cellsrc reads the Go source of a notebook cell: whether it is
// complete, what identifier is under the cursor, and what its last
// statement is.
//
// A cell is written in the dialect of the gomacro interpreter's REPL: top-level
// declarations (import, named functions and methods, types, variables,
// constants) and statements in any order, the last of which may be an
// expression whose value is displayed. Lines at the start of a cell that
// begin with '%' (a magic command such as "%cd /tmp") or '$' (a shell
// command) are not Go: they are ignored, as the kernel ignores them, up to
// the first other non-blank line.
//
// The package reads a cell with go/scanner and splits it at bracket depth 0,
// where a statement starts, into chunks: declarations that only a file may
// hold (import, named func and method declarations) and everything else,
// which is valid in a function body. Runs of declaration chunks are parsed
// as a file, runs of statement chunks as the body of a function, and parse
// errors are mapped back to offsets in the cell.
package cellsrc

import (
	"go/scanner"
	"go/token"
	"strings"
	"unicode/utf8"
)

// item is one token of a cell. Offsets are in bytes.
type item struct {
	tok      token.Token
	lit      string
	pos, end int
}

// auto reports whether it is a semicolon the scanner inserted at a newline
// or at the end of the cell.
func (it item) auto() bool { return it.tok == token.SEMICOLON && it.lit == "\n" }

// unterminated reports whether it is a raw string literal or a general
// comment that the cell ends inside.
func (it item) unterminated(src string) bool {
	switch {
	case it.tok == token.STRING && strings.HasPrefix(src[it.pos:], "`"):
		return !strings.HasSuffix(src[it.pos:it.end], "`") || it.end-it.pos < 2
	case it.tok == token.COMMENT && strings.HasPrefix(src[it.pos:], "/*"):
		return !strings.HasSuffix(src[it.pos:it.end], "*/") || it.end-it.pos < 4
	}
	return false
}

// srcError is a scanner or parser error at a byte offset of the cell.
type srcError struct {
	off int
	msg string
}

// cell is a scanned cell.
type cell struct {
	src   string     // the cell with its leading command lines blanked
	items []item     // every token, comments and inserted semicolons included
	errs  []srcError // scanner errors, in order
}

// scan blanks code's leading command lines and scans the rest.
func scan(code string) *cell {
	c := &cell{src: blankCommands(code)}
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(c.src))
	var s scanner.Scanner
	s.Init(file, []byte(c.src), func(p token.Position, msg string) {
		c.errs = append(c.errs, srcError{off: p.Offset, msg: msg})
	}, scanner.ScanComments)
	for {
		p, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		off := file.Offset(p)
		c.items = append(c.items, item{tok: tok, lit: lit, pos: off, end: tokenEnd(c.src, off, tok, lit)})
	}
	return c
}

// tokenEnd is the offset just after the token at off. The scanner drops
// carriage returns from raw strings and comments, so their ends are found
// in the source.
func tokenEnd(src string, off int, tok token.Token, lit string) int {
	rest := src[off:]
	switch {
	case tok == token.COMMENT && strings.HasPrefix(rest, "//"):
		if i := strings.IndexByte(rest, '\n'); i >= 0 {
			return off + i
		}
		return len(src)
	case tok == token.COMMENT:
		if i := strings.Index(rest[min(2, len(rest)):], "*/"); i >= 0 {
			return off + 2 + i + 2
		}
		return len(src)
	case tok == token.STRING && strings.HasPrefix(rest, "`"):
		if i := strings.IndexByte(rest[1:], '`'); i >= 0 {
			return off + 1 + i + 1
		}
		return len(src)
	case tok == token.SEMICOLON && lit == "\n":
		return off
	case tok == token.ILLEGAL:
		_, n := utf8.DecodeRuneInString(rest)
		return off + n
	case lit != "":
		return min(off+len(lit), len(src))
	}
	return min(off+len(tok.String()), len(src))
}

// blankCommands replaces the bytes of code's leading '%' and '$' lines with
// spaces, keeping every offset.
func blankCommands(code string) string {
	var b []byte
	for i := 0; i < len(code); {
		lineEnd := len(code)
		if j := strings.IndexByte(code[i:], '\n'); j >= 0 {
			lineEnd = i + j
		}
		line := strings.TrimSpace(code[i:lineEnd])
		if line != "" {
			if line[0] != '%' && line[0] != '$' {
				break
			}
			if b == nil {
				b = []byte(code)
			}
			for k := i; k < lineEnd; k++ {
				b[k] = ' '
			}
		}
		i = lineEnd + 1
	}
	if b == nil {
		return code
	}
	return string(b)
}

// significant returns the items that are neither comments nor inserted
// semicolons.
func significant(items []item) []item {
	var sig []item
	for _, it := range items {
		if it.tok != token.COMMENT && !it.auto() {
			sig = append(sig, it)
		}
	}
	return sig
}

// ByteOffset converts a position in code points, as Jupyter counts a
// cursor, into a byte offset in s, clamped to s.
func ByteOffset(s string, cursor int) int {
	if cursor <= 0 {
		return 0
	}
	n := 0
	for i := range s {
		if n == cursor {
			return i
		}
		n++
	}
	return len(s)
}
