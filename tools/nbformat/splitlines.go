package nbformat

import "strings"

// splitLines splits s after every line boundary, keeping the boundaries,
// exactly as Python's str.splitlines(keepends=True): "\n", "\r", "\r\n",
// "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", U+2028 and U+2029 all end a
// line. An empty string gives no lines.
func splitLines(s string) []string {
	var lines []string
	start := 0
	for i, r := range s {
		if i < start {
			continue // the \n of a \r\n already taken
		}
		end := -1
		switch r {
		case '\n', '\v', '\f', '\x1c', '\x1d', '\x1e', '\u0085', '\u2028', '\u2029':
			end = i + len(string(r))
		case '\r':
			end = i + 1
			if strings.HasPrefix(s[i+1:], "\n") {
				end++
			}
		}
		if end >= 0 {
			lines = append(lines, s[start:end])
			start = end
		}
	}
	if start < len(s) {
		lines = append(lines, s[start:])
	}
	return lines
}
