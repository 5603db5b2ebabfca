package jupyter

import (
	"regexp"
	"strings"
)

// historySession is the session number a kernel's history entries carry.
// The history lives in the kernel process and ends with it: there is only
// ever the one session.
const historySession = 1

// history is a kernel's input history: every stored execution, in order.
type history struct {
	entries []historyEntry
}

type historyEntry struct {
	line   int // execution count
	input  string
	output any // text/plain of the result, or nil
}

func (h *history) add(line int, input string, output any) {
	h.entries = append(h.entries, historyEntry{line, input, output})
}

// query answers a history_request: "tail" gives the last n entries, "range"
// the lines [start, stop) of the session (a negative start counts from the
// end), "search" the entries matching a glob pattern (* and ?), newest
// last, at most n, each input once if unique. Each entry is [session, line,
// input], or [session, line, [input, output]] when output is asked for.
func (h *history) query(req HistoryRequest) [][]any {
	var picked []historyEntry
	switch req.HistAccessType {
	case "tail":
		picked = h.tail(h.entries, req.N)
	case "range":
		if req.Session != historySession && req.Session != 0 {
			break
		}
		start, stop := req.Start, req.Stop
		last := 0
		if len(h.entries) > 0 {
			last = h.entries[len(h.entries)-1].line
		}
		if start < 0 {
			start += last + 1
		}
		if stop <= 0 {
			stop += last + 1
		}
		for _, e := range h.entries {
			if e.line >= start && e.line < stop {
				picked = append(picked, e)
			}
		}
	case "search":
		re := globRegexp(req.Pattern)
		seen := make(map[string]bool)
		var matched []historyEntry
		for i := len(h.entries) - 1; i >= 0; i-- {
			e := h.entries[i]
			if !re.MatchString(e.input) || (req.Unique && seen[e.input]) {
				continue
			}
			seen[e.input] = true
			matched = append(matched, e)
		}
		for i, j := 0, len(matched)-1; i < j; i, j = i+1, j-1 {
			matched[i], matched[j] = matched[j], matched[i]
		}
		picked = h.tail(matched, req.N)
	}
	out := make([][]any, 0, len(picked))
	for _, e := range picked {
		if req.Output {
			out = append(out, []any{historySession, e.line, []any{e.input, e.output}})
		} else {
			out = append(out, []any{historySession, e.line, e.input})
		}
	}
	return out
}

// tail returns the last n entries (all when n <= 0).
func (h *history) tail(entries []historyEntry, n int) []historyEntry {
	if n <= 0 || n >= len(entries) {
		return entries
	}
	return entries[len(entries)-n:]
}

// globRegexp turns a history search pattern into a regular expression that
// must match the whole input, as IPython's history search (SQLite's GLOB)
// reads it: * is any text, ? one character, [abc] and [^abc] a class.
func globRegexp(pattern string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString(`(?s)\A`)
	runes := []rune(pattern)
	for i := 0; i < len(runes); i++ {
		switch c := runes[i]; c {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		case '[':
			end := strings.IndexRune(string(runes[i+1:]), ']')
			if end < 0 {
				b.WriteString(`\[`)
				continue
			}
			classRunes := []rune(string(runes[i+1:])[:end])
			class := string(classRunes)
			b.WriteByte('[')
			if strings.HasPrefix(class, "^") {
				b.WriteByte('^')
				class = class[1:]
			}
			for _, r := range class {
				if r == '-' {
					b.WriteByte('-')
				} else {
					b.WriteString(regexp.QuoteMeta(string(r)))
				}
			}
			b.WriteByte(']')
			i += len(classRunes) + 1
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString(`\z`)
	re, err := regexp.Compile(b.String())
	if err != nil {
		// An odd class; match the pattern literally instead.
		return regexp.MustCompile(`(?s)\A` + regexp.QuoteMeta(pattern) + `\z`)
	}
	return re
}
