package cellsrc

import (
	"go/token"
	"strings"
	"unicode/utf8"
)

// IdentAt answers Jupyter's inspect_request: the identifier or selector
// expression under or just before cursor, a position in code points.
// In "x.y.z" it is "x.y" with the cursor in or right after y, and
// "x.y.z" in or right after z. Elsewhere inside a call's parentheses
// (after an argument, a comma or a literal) it is the function being
// called, if that is a name or a selector. start and end are the
// expression's span in code points. ok is false inside comments, string
// and rune literals and command lines, and where there is no identifier:
// also for a selector on a call or other expression, such as f().x, which
// cannot be named.
func IdentAt(code string, cursor int) (expr string, start, end int, ok bool) {
	off := ByteOffset(code, cursor)
	c := scan(code)
	var toks []item // no comments; inserted semicolons kept, as they end selectors
	for _, it := range c.items {
		switch it.tok {
		case token.COMMENT, token.STRING, token.CHAR:
			if it.pos < off && (off < it.end || off == it.end && openAtEnd(c.src, it)) {
				return "", 0, 0, false
			}
		}
		if it.tok != token.COMMENT {
			toks = append(toks, it)
		}
	}
	for i, it := range toks {
		if it.tok == token.IDENT && it.pos <= off && off <= it.end {
			return selector(code, toks, i)
		}
		if it.pos > off {
			break
		}
	}
	// The innermost bracket open at the cursor: a call's parenthesis?
	var stack []int
	for i, it := range toks {
		if it.pos >= off {
			break
		}
		switch it.tok {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			stack = append(stack, i)
		case token.RPAREN, token.RBRACK, token.RBRACE:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
	if n := len(stack); n > 0 {
		if i := stack[n-1]; toks[i].tok == token.LPAREN && i > 0 && toks[i-1].tok == token.IDENT {
			return selector(code, toks, i-1)
		}
	}
	return "", 0, 0, false
}

// openAtEnd reports whether a cursor at the end of it is still inside it:
// the end of a line comment, or of a literal or comment left unterminated.
func openAtEnd(src string, it item) bool {
	text := src[it.pos:it.end]
	switch {
	case it.tok == token.COMMENT:
		return strings.HasPrefix(text, "//") || it.unterminated(src)
	case it.tok == token.STRING && strings.HasPrefix(text, "`"):
		return it.unterminated(src)
	}
	q := text[:1]
	return len(text) < 2 || !strings.HasSuffix(text, q) || strings.HasSuffix(text, `\`+q) && !strings.HasSuffix(text, `\\`+q)
}

// selector returns the selector expression that ends with the identifier
// toks[i]: the names joined by dots before it.
func selector(code string, toks []item, i int) (expr string, start, end int, ok bool) {
	j := i
	for j >= 2 && toks[j-1].tok == token.PERIOD && toks[j-2].tok == token.IDENT {
		j -= 2
	}
	if j >= 1 && toks[j-1].tok == token.PERIOD {
		return "", 0, 0, false // a selector on an expression: f().x, s[0].x
	}
	names := make([]string, 0, (i-j)/2+1)
	for k := j; k <= i; k += 2 {
		names = append(names, toks[k].lit)
	}
	expr = strings.Join(names, ".")
	if expr == "_" {
		return "", 0, 0, false
	}
	start = utf8.RuneCountInString(code[:toks[j].pos])
	end = start + utf8.RuneCountInString(code[toks[j].pos:toks[i].end])
	return expr, start, end, true
}
