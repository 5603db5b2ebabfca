package cellsrc

import (
	"go/token"
	"strings"
)

// The statuses of a Jupyter is_complete_reply.
const (
	statusComplete   = "complete"
	statusIncomplete = "incomplete"
	statusInvalid    = "invalid"
)

// IsComplete answers Jupyter's is_complete_request for a cell: status is
// "complete" when the cell parses (or is empty, blank, or only comments and
// commands), "incomplete" when more lines could complete it (an open
// bracket, an unterminated raw string or general comment, a last token
// that cannot end a statement, or a parse error only at the end), and
// "invalid" when no more input can fix it. For "incomplete", indent is the
// indentation for the next line: the last non-blank line's leading spaces
// and tabs, plus one tab if that line opens a bracket it leaves open (as
// gofmt indents after "{" or "(" however many a line opens, or after a
// case clause's colon); inside a raw
// string it is "", since indentation would become part of the string. For
// the other statuses indent is "".
func IsComplete(code string) (status, indent string) {
	c := scan(code)
	// The point from which errors mean "more input needed": the end of the
	// cell, or where an unterminated raw string or comment starts.
	limit := len(c.src)
	var open *item
	for i := range c.items {
		if c.items[i].unterminated(c.src) {
			open = &c.items[i]
			limit = open.pos
		}
	}
	for _, e := range c.errs {
		// Only an unterminated raw string or comment can be finished.
		if open == nil || e.off < limit {
			return statusInvalid, ""
		}
	}
	runs, depth, bad := split(c)
	if bad != nil {
		return statusInvalid, ""
	}
	// Does the cell, token by token, need more? Then the parser's errors
	// in its unfinished last statement may be only that: "go func() {" is
	// not yet a call. They are given the benefit of the doubt, except
	// errors about a newline the cell has: no more input can take it back.
	// Errors elsewhere before the end mean the cell is invalid; errors at
	// the end, that it is incomplete.
	more := depth > 0 || open != nil
	if sig := significant(c.items); len(sig) > 0 && needsMore(sig[len(sig)-1].tok) {
		more = true
	}
	atEnd, early := false, false
	for i, r := range runs {
		_, errs := parseRun(c.src, r, 0)
		for _, e := range errs {
			switch {
			case i < len(runs)-1:
				return statusInvalid, ""
			case e.off >= limit:
				atEnd = true
			case e.off < r.last || strings.Contains(e.msg, "newline"):
				return statusInvalid, ""
			default:
				early = true
			}
		}
	}
	if early && !more {
		return statusInvalid, ""
	}
	more = more || atEnd
	if !more {
		return statusComplete, ""
	}
	if open != nil && open.tok == token.STRING {
		return statusIncomplete, ""
	}
	return statusIncomplete, nextIndent(c)
}

// needsMore reports whether a statement cannot end with tok.
func needsMore(tok token.Token) bool {
	switch tok {
	case token.ADD, token.SUB, token.MUL, token.QUO, token.REM,
		token.AND, token.OR, token.XOR, token.SHL, token.SHR, token.AND_NOT,
		token.LAND, token.LOR, token.ARROW, token.NOT, token.TILDE,
		token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ,
		token.ASSIGN, token.DEFINE,
		token.ADD_ASSIGN, token.SUB_ASSIGN, token.MUL_ASSIGN, token.QUO_ASSIGN, token.REM_ASSIGN,
		token.AND_ASSIGN, token.OR_ASSIGN, token.XOR_ASSIGN, token.SHL_ASSIGN, token.SHR_ASSIGN, token.AND_NOT_ASSIGN,
		token.COMMA, token.PERIOD,
		token.FUNC, token.IF, token.FOR, token.SWITCH, token.SELECT, token.GO, token.DEFER,
		token.ELSE, token.CASE, token.VAR, token.CONST, token.TYPE, token.IMPORT, token.PACKAGE,
		token.CHAN, token.MAP, token.STRUCT, token.INTERFACE, token.RANGE, token.GOTO:
		return true
	}
	return false
}

// nextIndent is the indentation for the line after an incomplete cell:
// the last non-blank line's, plus a tab if that line leaves a bracket
// open that it opened.
func nextIndent(c *cell) string {
	src := c.src
	end := len(src)
	for {
		start := strings.LastIndexByte(src[:end], '\n') + 1
		if strings.TrimSpace(src[start:end]) != "" || start == 0 {
			break
		}
		end = start - 1
	}
	start := strings.LastIndexByte(src[:end], '\n') + 1
	line := src[start:end]
	indent := line[:len(line)-len(strings.TrimLeft(line, " \t"))]
	depth, low := 0, 0
	for _, it := range c.items {
		switch it.tok {
		case token.LPAREN, token.LBRACK, token.LBRACE:
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			depth--
		default:
			continue
		}
		if it.pos < start {
			low = depth
		} else {
			low = min(low, depth)
		}
	}
	if depth > low || isCaseLine(c.items, start) {
		indent += "\t"
	}
	return indent
}

// isCaseLine reports whether the line at start is a case or default clause
// ending in its colon: its statements go one tab further in.
func isCaseLine(items []item, start int) bool {
	var first, last *item
	for i := range items {
		it := &items[i]
		if it.pos < start || it.tok == token.COMMENT || it.auto() {
			continue
		}
		if first == nil {
			first = it
		}
		last = it
	}
	return first != nil && (first.tok == token.CASE || first.tok == token.DEFAULT) && last.tok == token.COLON
}
