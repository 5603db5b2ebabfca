package cellsrc

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestIdentAt(t *testing.T) {
	tests := []struct {
		name string
		code string // "|" marks the cursor and is removed
		expr string // "" for ok == false
		span string // the code points [start, end) cover, if expr != ""
	}{
		{"start of a selector", "|addr.InetAton", "addr", "addr"},
		{"in the package name", "ad|dr.InetAton", "addr", "addr"},
		{"in the name", "addr.Inet|Aton", "addr.InetAton", "addr.InetAton"},
		{"right after", "addr.InetAton|", "addr.InetAton", "addr.InetAton"},
		{"followed by a paren", "b, err := addr.InetAton|(\"127.1\")", "addr.InetAton", "addr.InetAton"},
		{"cursor on the dot", "addr|.InetAton", "addr", "addr"},
		{"after the dot", "addr.|InetAton", "addr.InetAton", "addr.InetAton"},
		{"x.y.z in y", "x.y|y.z", "x.yy", "x.yy"},
		{"x.y.z in z", "x.yy.|z", "x.yy.z", "x.yy.z"},
		{"x.y.z in x", "|x.yy.z", "x", "x"},
		{"plain name", "fmt.Println(l|n)", "ln", "ln"},
		{"call after arguments", "addr.InetAton(\"127.1\", |", "addr.InetAton", "addr.InetAton"},
		{"call after a literal", "addr.InetAton(\"127.1\"|)", "addr.InetAton", "addr.InetAton"},
		{"call right after the paren", "fmt.Println(|)", "fmt.Println", "fmt.Println"},
		{"call over lines", "fmt.Printf(\"%d\\n\",\n\t1,\n\t|", "fmt.Printf", "fmt.Printf"},
		{"innermost call", "f(g(1, |))", "g", "g"},
		{"after a closed call", "f(1)|", "", ""},
		{"after a closed call, space", "f(1) |", "", ""},
		{"in a composite literal", "f(T{1, |})", "", ""},
		{"in a string", "fmt.Println(\"addr.In|etAton\")", "", ""},
		{"at the end of an unterminated string", "fmt.Println(\"abc|", "", ""},
		{"in a raw string", "s := `a|ddr`", "", ""},
		{"in a rune", "r := 'x|'", "", ""},
		{"in a line comment", "x := 1 // addr.Inet|Aton", "", ""},
		{"at the end of a line comment", "x := 1 // addr|", "", ""},
		{"in a general comment", "x := /* a|ddr */ 1", "", ""},
		{"after a general comment", "x := /* c */|y", "y", "y"},
		{"on a keyword", "fu|nc f() {}", "", ""},
		{"on a number", "x := 4|2", "", ""},
		{"empty", "|", "", ""},
		{"blank identifier", "_| = 1", "", ""},
		{"selector on a call", "ln.Addr().Str|ing()", "", ""},
		{"selector on an index", "xs[0].Na|me", "", ""},
		{"type in an assertion", "ln.Addr().(*net.TCP|Addr)", "net.TCPAddr", "net.TCPAddr"},
		{"newline ends a selector", "x\n.y|", "", ""},
		{"selector over a newline", "x.\n\ty|", "x.y", "x.\n\ty"},
		{"selector with a comment", "x. /* c */ y|", "x.y", "x. /* c */ y"},
		{"non-ASCII before the cursor", "s := \"héllo wörld ✓\"\naddr.Inet|Aton(s)", "addr.InetAton", "addr.InetAton"},
		{"emoji before the cursor", "// 🎉🎉\nfmt.Print|ln(\"日本\")", "fmt.Println", "fmt.Println"},
		{"unicode identifier", "größe := 1\ngrö|ße", "größe", "größe"},
		{"call after non-ASCII argument", "fmt.Println(\"日本語\", |", "fmt.Println", "fmt.Println"},
		{"command line", "%cd /t|mp\nx", "", ""},
		{"after commands", "%cd /tmp\naddr.Inet|Aton", "addr.InetAton", "addr.InetAton"},
		{"CRLF", "x := 1\r\nfmt.Pr|intln(x)\r\n", "fmt.Println", "fmt.Println"},
		{"method expression value", "h := conn.Cl|ose", "conn.Close", "conn.Close"},
		{"cursor past the end", "fmt.Println", "fmt.Println", "fmt.Println"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, cursor := tt.code, 0
			if i := strings.Index(tt.code, "|"); i >= 0 {
				code = tt.code[:i] + tt.code[i+1:]
				cursor = utf8.RuneCountInString(tt.code[:i])
			} else {
				cursor = utf8.RuneCountInString(code) + 5
			}
			expr, start, end, ok := IdentAt(code, cursor)
			if tt.expr == "" {
				assert.False(t, ok, "IdentAt(%q, %d) = %q", code, cursor, expr)
				return
			}
			if assert.True(t, ok, "IdentAt(%q, %d)", code, cursor) {
				assert.Equal(t, tt.expr, expr)
				runes := []rune(code)
				if assert.True(t, 0 <= start && start <= end && end <= len(runes), "span [%d, %d)", start, end) {
					assert.Equal(t, tt.span, string(runes[start:end]))
				}
			}
		})
	}
}

func TestIdentAtNegativeCursor(t *testing.T) {
	expr, start, end, ok := IdentAt("fmt.Println", -3)
	assert.True(t, ok)
	assert.Equal(t, "fmt", expr)
	assert.Equal(t, 0, start)
	assert.Equal(t, 3, end)
}

func TestEndsInPrintCall(t *testing.T) {
	tests := []struct {
		name string
		code string
		want bool
	}{
		{"Println", `fmt.Println("hi")`, true},
		{"Print", `fmt.Print(1)`, true},
		{"Printf", `fmt.Printf("%d\n", 1)`, true},
		{"Fprint", `fmt.Fprint(os.Stdout, 1)`, true},
		{"Fprintln", `fmt.Fprintln(os.Stderr, 1)`, true},
		{"Fprintf", `fmt.Fprintf(w, "%d", 1)`, true},
		{"after statements", "x := 1\nfmt.Println(x)\n", true},
		{"after an import", "import \"fmt\"\nfmt.Println(\"hi\")", true},
		{"comment after", "fmt.Println(x)\n// that is all\n", true},
		{"comment on the line", "fmt.Println(x) // there", true},
		{"general comment after", "fmt.Println(x)\n/* done */", true},
		{"semicolon after", "fmt.Println(x);", true},
		{"renamed import", "import f \"fmt\"\nf.Println(1)", true},
		{"renamed import in a group", "import (\n\t\"os\"\n\tf \"fmt\"\n)\nf.Fprintln(os.Stdout, 1)", true},
		{"renamed import, fmt used", "import f \"fmt\"\nfmt.Println(1)", false},
		{"dot import", "import . \"fmt\"\nPrintln(1)", true},
		{"bare Println without dot import", "Println(1)", false},
		{"after a func", "func f() {}\nfmt.Println(f)", true},
		{"after commands", "%cd /tmp\nfmt.Println(1)", true},
		{"CRLF", "x := 1\r\nfmt.Println(x)\r\n", true},
		{"parenthesized", "(fmt.Println(1))", true},
		{"label", "L:\nfmt.Println(1)", true},
		{"Sprintf", `fmt.Sprintf("%d", 1)`, false},
		{"Errorf", `fmt.Errorf("x")`, false},
		{"a value", "x", false},
		{"other call", "conn.Close()", false},
		{"other package", "log.Println(1)", false},
		{"print then value", "fmt.Println(1)\nx", false},
		{"in a block", "if true {\n\tfmt.Println(1)\n}", false},
		{"in a loop", "for i := 0; i < 3; i++ {\n\tfmt.Println(i)\n}", false},
		{"in a func", "func f() {\n\tfmt.Println(1)\n}", false},
		{"go", "go fmt.Println(1)", false},
		{"defer", "defer fmt.Println(1)", false},
		{"assigned", "n, err := fmt.Println(1)", false},
		{"print not called", "fmt.Println", false},
		{"empty", "", false},
		{"only a comment", "// fmt.Println(1)", false},
		{"invalid", "fmt.Println(1", false},
		{"invalid earlier statement", "x := )\nfmt.Println(1)", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, EndsInPrintCall(tt.code), "%q", tt.code)
		})
	}
}

// TestEndsInPrintCallNotebooks checks the notebooks' cells whose last line
// prints.
func TestEndsInPrintCallNotebooks(t *testing.T) {
	for _, c := range notebookCells(t) {
		lines := strings.Split(strings.TrimRight(c.code, "\n"), "\n")
		last := lines[len(lines)-1]
		want := strings.HasPrefix(last, "fmt.Print") || strings.HasPrefix(last, "fmt.Fprint")
		assert.Equal(t, want, EndsInPrintCall(c.code), "%s cell %d:\n%s", c.file, c.index, c.code)
	}
}

// FuzzIdentAt checks that IdentAt never panics and that what it finds is
// where it says, at or around the cursor.
func FuzzIdentAt(f *testing.F) {
	f.Add("addr.InetAton(\"127.1\", ", 22)
	f.Add("x.y.z", 3)
	f.Add("// é\nfmt.Println", 8)
	f.Add("s := `a\nb", 6)
	f.Fuzz(func(t *testing.T, code string, cursor int) {
		expr, start, end, ok := IdentAt(code, cursor)
		if !ok {
			return
		}
		n := utf8.RuneCountInString(code)
		if start < 0 || start > end || end > n {
			t.Fatalf("IdentAt(%q, %d) = %q [%d, %d) out of %d code points", code, cursor, expr, start, end, n)
		}
		if expr == "" || strings.ContainsAny(expr, " \t\n(") {
			t.Fatalf("IdentAt(%q, %d) = %q", code, cursor, expr)
		}
		runes := []rune(code)
		first := strings.SplitN(expr, ".", 2)[0]
		if !strings.HasPrefix(string(runes[start:end]), first) {
			t.Fatalf("IdentAt(%q, %d) = %q, but [%d, %d) is %q", code, cursor, expr, start, end, string(runes[start:end]))
		}
	})
}
