package sitegen

import (
	"fmt"
	"html"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/sockbook/sockbook/internal/lesson"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// highlight writes code as a <pre> block whose tokens carry chroma's short
// class names (k, s, c, ...). Colours come from the style sheet, so one
// page serves both themes. Tokens drawn like plain text in both themes get
// no element, and neighbours of one class share one: pages stay small.
//
// A line wider than wrapColumns may wrap on a wide screen, where code
// wraps instead of scrolling: it is held in a span of class wN, N its
// indentation in tab stops, so the style sheet can indent its
// continuation under it and mark it.
func (s *site) highlight(w io.Writer, lang, code string) {
	s.highlightWrap(w, lang, code, wrapColumns)
}

// highlightWrap is highlight for code shown in a column that wraps lines
// wider than wrap columns.
func (s *site) highlightWrap(w io.Writer, lang, code string, wrap int) {
	lexer := lexers.Get(lang)
	if lang == "" || lexer == nil {
		lexer = lexers.Fallback
	}
	lexer = chroma.Coalesce(lexer)
	fmt.Fprintf(w, `<div class="code"><pre tabindex="0" data-lang="%s"><code>`, html.EscapeString(lang))
	it, err := lexer.Tokenise(nil, code)
	if err != nil {
		// Lexers fail only on pathological input; plain text is still readable.
		io.WriteString(w, escapeText(code))
	} else {
		var line []chroma.Token
		for tok := it(); tok != chroma.EOF; tok = it() {
			for {
				before, after, found := strings.Cut(tok.Value, "\n")
				line = append(line, chroma.Token{Type: tok.Type, Value: before})
				if !found {
					break
				}
				s.writeLine(w, line, wrap)
				io.WriteString(w, "\n")
				line, tok.Value = line[:0], after
			}
		}
		s.writeLine(w, line, wrap)
	}
	io.WriteString(w, "</code></pre></div>\n")
}

// wrapColumns is the widest line, in columns with tabs of 4, that never
// wraps where code wraps: a code block of the narrowest layout that wraps
// (75rem and up, see style.css) holds 73; a printed page about 85.
const wrapColumns = 72

// sheetWrapColumns is wrapColumns for the cheat sheet, whose two printed
// columns hold about 60.
const sheetWrapColumns = 56

// maxWrapIndent is the deepest indentation, in tab stops, style.css has a
// wN class for; deeper lines continue at that depth.
const maxWrapIndent = 6

// writeLine writes one line of tokens, without its newline, marked as
// one that may wrap if it is wider than wrap columns.
func (s *site) writeLine(w io.Writer, line []chroma.Token, wrap int) {
	var text strings.Builder
	for _, tok := range line {
		text.WriteString(tok.Value)
	}
	width, indent := columns(text.String())
	if width > wrap {
		fmt.Fprintf(w, `<span class=w%d>`, min(indent/4, maxWrapIndent))
		defer io.WriteString(w, "</span>")
	}
	var run strings.Builder
	runClass := ""
	flush := func() {
		if run.Len() == 0 {
			return
		}
		if runClass == "" {
			io.WriteString(w, escapeText(run.String()))
		} else {
			fmt.Fprintf(w, `<span class=%s>%s</span>`, runClass, escapeText(run.String()))
		}
		run.Reset()
	}
	for _, tok := range line {
		class := tokenClass(tok.Type)
		if s.plain[class] {
			class = ""
		}
		if class != runClass && strings.TrimSpace(tok.Value) != "" {
			flush()
			runClass = class
		}
		run.WriteString(tok.Value)
	}
	flush()
}

// columns returns how wide line is and how wide its leading white space
// is, in columns, with tab stops every 4 as the style sheet sets them.
func columns(line string) (width, indent int) {
	lead := true
	for _, r := range line {
		if r == '\t' {
			width += 4 - width%4
		} else {
			width++
		}
		if lead && r != '\t' && r != ' ' {
			lead, indent = false, width-1
		}
	}
	if lead {
		indent = width
	}
	return width, indent
}

// escapeText escapes text outside of attributes, where quotes need no
// escaping (code is full of them).
func escapeText(s string) string {
	if !strings.ContainsAny(s, "&<>") {
		return s
	}
	s = strings.ReplaceAll(s, "&", "&amp;")
	s = strings.ReplaceAll(s, "<", "&lt;")
	return strings.ReplaceAll(s, ">", "&gt;")
}

// tokenClass is the CSS class of a token type, "" for plain text.
func tokenClass(t chroma.TokenType) string {
	if t == chroma.Text || t == chroma.TextWhitespace || t == chroma.Other {
		return ""
	}
	return chroma.StandardTypes[t]
}

// codeTheme pairs a chroma style with the background it is shown on.
type codeTheme struct {
	style      string
	background chroma.Colour
	text       chroma.Colour
}

// The code themes; background and text match --code-bg and --fg in
// site/assets/style.css.
func codeThemes() (light, dark codeTheme) {
	return codeTheme{"github", chroma.MustParseColour("#f6f8fa"), chroma.MustParseColour("#1f2328")},
		codeTheme{"github-dark", chroma.MustParseColour("#161b22"), chroma.MustParseColour("#e6edf3")}
}

// plainClasses lists the token classes drawn exactly like plain text in
// both themes; they need no element.
func plainClasses() map[string]bool {
	lt, dt := codeThemes()
	light, dark := themeVars(lt), themeVars(dt)
	plain := map[string]bool{}
	for name := range light {
		if likeText(light[name], lt) && likeText(dark[name], dt) {
			plain[name] = true
		}
	}
	return plain
}

// likeText reports whether s looks the same as the page's text colour
// (--fg in site/assets/style.css, which .code pre uses).
func likeText(s tokenStyle, th codeTheme) bool {
	return !s.bold && !s.italic && contrast(chroma.MustParseColour(s.colour), th.text) < 1.1
}

// highlightCSS returns the token rules and the colour variables of both
// themes, leaving out the classes highlight does not emit. Colours that
// fall short of WCAG AA contrast (4.5:1) against the code background are
// darkened or lightened until they pass, so comments stay readable.
func highlightCSS() string {
	var b strings.Builder
	lt, dt := codeThemes()
	light, dark := themeVars(lt), themeVars(dt)
	plain := plainClasses()
	names := make([]string, 0, len(light))
	for name := range light {
		if !plain[name] {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		fmt.Fprintf(&b, ".code .%s{%s}\n", name, rule(name, light[name]))
	}
	writeVars := func(sel string, vars map[string]tokenStyle) {
		b.WriteString(sel + "{")
		for _, name := range names {
			fmt.Fprintf(&b, "--hl-%s:%s;", name, vars[name].colour)
		}
		b.WriteString("}\n")
	}
	writeVars(":root", light)
	writeVars(`:root[data-theme="dark"]`, dark)
	b.WriteString("@media (prefers-color-scheme: dark){")
	writeVars(`:root:not([data-theme="light"])`, dark)
	b.WriteString("}\n")
	return b.String()
}

type tokenStyle struct {
	colour       string
	bold, italic bool
}

func rule(name string, s tokenStyle) string {
	r := "color:var(--hl-" + name + ")"
	if s.bold {
		r += ";font-weight:600"
	}
	if s.italic {
		r += ";font-style:italic"
	}
	return r
}

// themeVars resolves the style's colour for every standard token class.
func themeVars(th codeTheme) map[string]tokenStyle {
	style := styles.Get(th.style)
	out := map[string]tokenStyle{}
	for t, class := range chroma.StandardTypes {
		if tokenClass(t) == "" || t == chroma.Background || t == chroma.PreWrapper || t == chroma.Line ||
			t == chroma.LineNumbers || t == chroma.LineNumbersTable || t == chroma.LineHighlight ||
			t == chroma.LineTable || t == chroma.LineTableTD || t == chroma.LineLink || t == chroma.CodeLine {
			continue
		}
		out[class] = resolve(th, style, style.Get(t))
	}
	return out
}

// resolve turns a style entry into a readable colour on the theme's background.
func resolve(th codeTheme, style *chroma.Style, e chroma.StyleEntry) tokenStyle {
	c := e.Colour
	if !c.IsSet() {
		c = style.Get(chroma.Text).Colour
	}
	if !c.IsSet() {
		c = chroma.MustParseColour("#24292f")
		if luminance(th.background) < 0.5 {
			c = chroma.MustParseColour("#e6edf3")
		}
	}
	return tokenStyle{
		colour: readable(c, th.background).String(),
		bold:   e.Bold == chroma.Yes,
		italic: e.Italic == chroma.Yes,
	}
}

// readable moves fg toward black or white (whichever the background is
// not) until it has at least 4.6:1 contrast with bg.
func readable(fg, bg chroma.Colour) chroma.Colour {
	towardWhite := luminance(bg) < 0.5
	for i := 0; i < 40 && contrast(fg, bg) < 4.6; i++ {
		mix := func(v uint8) uint8 {
			if towardWhite {
				return uint8(float64(v) + (255-float64(v))*0.08)
			}
			return uint8(float64(v) * 0.92)
		}
		fg = chroma.NewColour(mix(fg.Red()), mix(fg.Green()), mix(fg.Blue()))
	}
	return fg
}

// luminance is the WCAG relative luminance of c.
func luminance(c chroma.Colour) float64 {
	ch := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(c.Red()) + 0.7152*ch(c.Green()) + 0.0722*ch(c.Blue())
}

// contrast is the WCAG contrast ratio of a and b.
func contrast(a, b chroma.Colour) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// codeRenderer renders fenced and indented code blocks with highlight,
// and fenced blocks of language "quiz" as quizzes.
type codeRenderer struct {
	site *site
	md   goldmark.Markdown
}

func (r *codeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, r.renderCode)
	reg.Register(ast.KindCodeBlock, r.renderCode)
	reg.Register(east.KindTaskCheckBox, r.renderTask)
}

// renderTask makes a task-list box a checkbox the reader can tick (site.js
// remembers it), labelled by the item's text.
func (r *codeRenderer) renderTask(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	checked := ""
	if n.(*east.TaskCheckBox).IsChecked {
		checked = " checked"
	}
	label := strings.TrimSpace(plainText(n.Parent(), source))
	fmt.Fprintf(w, `<input type="checkbox" class="task" aria-label="%s"%s> `, html.EscapeString(label), checked)
	return ast.WalkContinue, nil
}

func (r *codeRenderer) renderCode(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	var lang string
	fc, fenced := n.(*ast.FencedCodeBlock)
	if fenced {
		lang = string(fc.Language(source))
	}
	if lang == "quiz" {
		html, err := r.site.renderQuiz(lesson.Block(source, fc))
		if err != nil {
			return ast.WalkStop, err
		}
		w.WriteString(html)
		return ast.WalkSkipChildren, nil
	}
	var code strings.Builder
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		code.Write(seg.Value(source))
	}
	r.site.highlight(w, lang, code.String())
	return ast.WalkSkipChildren, nil
}
