package sitegen

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"html/template"
	"net/url"
	"path"
	"strings"
	"unicode"

	"github.com/sockbook/sockbook/internal/lesson"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// A heading is one h2 or h3 of a page, kept for the table of contents and
// the search index.
type heading struct {
	Level int
	ID    string
	Text  string
	// Keywords are extra search terms, such as the recipe slug.
	Keywords string
}

// idSet hands out heading ids unique within one page. One set is shared by
// every markdown cell of a notebook, so two cells with the same heading text
// still get distinct anchors.
type idSet map[string]bool

func (s idSet) Generate(value []byte, _ ast.NodeKind) []byte {
	base := slugify(string(value))
	if base == "" {
		base = "section"
	}
	id := base
	for i := 1; s[id]; i++ {
		id = fmt.Sprintf("%s-%d", base, i)
	}
	s[id] = true
	return []byte(id)
}

func (s idSet) Put(value []byte) { s[string(value)] = true }

// slugify lowercases s and joins its runs of letters and digits with '-'.
func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		} else {
			dash = true
		}
	}
	return b.String()
}

// doc is the per-document state the link rewriter and heading collector
// read from goldmark's parser context.
type doc struct {
	src      string // repository-relative path of the document, e.g. "tutorials/lessons/01-addresses.md"
	page     string // site path of the page it renders into
	site     *site
	line     int    // the line of src's file the document starts on, for errors (0: 1)
	firstID  string // id for the first heading (a recipe's slug), if any
	demote   int    // levels to move every heading down, so a document can be a section
	charts   bool   // images are charts copied into the site: each must resolve to one, and gets class "chart"
	headings []heading
	tables   []ast.Node // Python → Go tables, when collected
	source   []byte
}

var docKey = parser.NewContextKey()

// newMarkdown configures goldmark the way every page uses it. Raw HTML in
// markdown is dropped (goldmark's default without html.WithUnsafe).
func newMarkdown(s *site) goldmark.Markdown {
	cr := &codeRenderer{site: s}
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote, extension.Typographer),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithASTTransformers(util.Prioritized(docTransformer{}, 100)),
		),
		goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(cr, 10))),
	)
	cr.md = md
	return md
}

// render converts one markdown document. ids is shared across the page.
func (s *site) render(d *doc, src string, ids parser.IDs) (template.HTML, error) {
	d.site = s
	d.source = []byte(src)
	ctx := parser.NewContext(parser.WithIDs(ids))
	ctx.Set(docKey, d)
	root := s.md.Parser().Parse(text.NewReader(d.source), parser.WithContext(ctx))
	if err, _ := ctx.Get(errKey).(error); err != nil {
		return "", fmt.Errorf("%s: %w", d.src, err)
	}
	var buf bytes.Buffer
	if err := s.md.Renderer().Render(&buf, d.source, root); err != nil {
		return "", d.locate(err)
	}
	return template.HTML(wrapTables(buf.String())), nil
}

// locate names d's file in err: a *lesson.SyntaxError (a quiz) gets the
// file and the line in it, anything else the file as a prefix.
func (d *doc) locate(err error) error {
	var se *lesson.SyntaxError
	if errors.As(err, &se) && se.File == "" {
		se.File = d.src
		se.Line += max(d.line, 1) - 1
		return err
	}
	return fmt.Errorf("%s: %w", d.src, err)
}

// A wide table scrolls sideways in its wrapper, which therefore takes
// keyboard focus so it can be scrolled without a mouse.
const tableWrap = `<div class="table-wrap" tabindex="0" role="region" aria-label="Table, scrolls sideways">`

// wrapTables puts every table of rendered markdown in a tableWrap. The
// markdown renderer drops raw HTML, so every <table> here is its own.
func wrapTables(html string) string {
	if !strings.Contains(html, "<table>") {
		return html
	}
	html = strings.ReplaceAll(html, "<table>", tableWrap+"<table>")
	return strings.ReplaceAll(html, "</table>", "</table></div>")
}

var errKey = parser.NewContextKey()

// docTransformer rewrites links and collects headings and reference tables.
type docTransformer struct{}

func (docTransformer) Transform(root *ast.Document, reader text.Reader, pc parser.Context) {
	d, _ := pc.Get(docKey).(*doc)
	if d == nil {
		return
	}
	source := reader.Source()
	first := true
	var charts []*ast.Image
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			if first && d.firstID != "" {
				n.SetAttributeString("id", []byte(d.firstID))
			}
			n.Level = min(n.Level+d.demote, 6)
			first = false
			id, _ := n.AttributeString("id")
			idb, _ := id.([]byte)
			if n.Level >= 2 && n.Level <= 3 && len(idb) > 0 {
				d.headings = append(d.headings, heading{Level: n.Level, ID: string(idb), Text: plainText(n, source)})
			}
		case *ast.Link:
			dest, err := d.site.rewrite(d.src, d.page, string(n.Destination))
			if err != nil {
				pc.Set(errKey, err)
				return ast.WalkStop, nil
			}
			n.Destination = []byte(dest)
		case *ast.Image:
			dest, err := d.site.rewrite(d.src, d.page, string(n.Destination))
			if err == nil && d.charts {
				err = d.site.checkChart(d.page, string(n.Destination), dest)
				n.SetAttributeString("class", []byte("chart"))
				charts = append(charts, n)
			}
			if err != nil {
				pc.Set(errKey, err)
				return ast.WalkStop, nil
			}
			n.Destination = []byte(dest)
		}
		if n.Kind() == east.KindTable && isReferenceTable(n, source) {
			d.tables = append(d.tables, n)
		}
		return ast.WalkContinue, nil
	})
	// A chart shrunk to a phone's width is hard to read: it links to itself
	// at full size. The tree is changed after the walk, not during it.
	for _, img := range charts {
		parent := img.Parent()
		if parent == nil || parent.Kind() == ast.KindLink {
			continue
		}
		link := ast.NewLink()
		link.Destination = img.Destination
		parent.ReplaceChild(parent, img, link)
		link.AppendChild(link, img)
	}
}

// isReferenceTable reports whether table's header row starts "| Python | Go |".
func isReferenceTable(table ast.Node, source []byte) bool {
	head := table.FirstChild()
	if head == nil {
		return false
	}
	c := head.FirstChild()
	if c == nil || c.NextSibling() == nil {
		return false
	}
	return strings.TrimSpace(plainText(c, source)) == "Python" &&
		strings.TrimSpace(plainText(c.NextSibling(), source)) == "Go"
}

// plainText concatenates the text under n as a reader sees it: entity
// references resolved, backslash escapes removed, and the typographer's
// substitutions (which it stores as HTML, "&ldquo;") turned into the
// characters they stand for. The result is text, to be escaped once by
// whatever writes it; escaping the typographer's entities again is what
// showed "&ldquo;socketpair&rdquo;" in the contents.
func plainText(n ast.Node, source []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			v := c.Segment.Value(source)
			if !c.IsRaw() { // raw: inside a code span, taken literally
				v = []byte(html.UnescapeString(string(util.UnescapePunctuations(v))))
			}
			b.Write(v)
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			switch {
			case c.IsCode(): // HTML, written as is by goldmark
				b.WriteString(html.UnescapeString(string(c.Value)))
			case c.IsRaw():
				b.Write(c.Value)
			default:
				b.WriteString(html.UnescapeString(string(util.UnescapePunctuations(c.Value))))
			}
		case *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// rewrite maps a link written for GitHub and Jupyter (relative to the
// document's file in the repository) to the site: notebooks become chapter
// pages, markdown files of the course become their pages, other repository
// files link to the repository. Absolute URLs and pure fragments pass.
func (s *site) rewrite(srcFile, page, dest string) (string, error) {
	u, err := url.Parse(dest)
	if err != nil {
		return "", fmt.Errorf("link %q: %w", dest, err)
	}
	if u.Scheme != "" || u.Host != "" || u.Path == "" || strings.HasPrefix(u.Path, "/") {
		return dest, nil
	}
	target := path.Clean(path.Join(path.Dir(srcFile), u.Path))
	if strings.HasPrefix(target, "../") || target == ".." {
		return "", fmt.Errorf("link %q leaves the repository", dest)
	}
	sitePath, ok := s.routes[target]
	if !ok {
		sitePath, ok = s.routes[strings.TrimSuffix(target, "/")+"/README.md"]
	}
	if !ok {
		// A file the site does not render: point at it in the repository.
		kind := "blob"
		if strings.HasSuffix(u.Path, "/") {
			kind = "tree"
		}
		out := strings.TrimSuffix(s.cfg.RepoURL, "/") + "/" + kind + "/main/" + target
		if u.Fragment != "" {
			out += "#" + u.Fragment
		}
		return out, nil
	}
	out := relURL(page, sitePath)
	if u.Fragment != "" {
		// The link's own fragment wins over the route's.
		out, _, _ = strings.Cut(out, "#")
		out += "#" + u.Fragment
	}
	return out, nil
}

// relURL is the relative URL from page to target, both site paths.
func relURL(page, target string) string {
	var from []string
	if d := path.Dir(page); d != "." {
		from = strings.Split(d, "/")
	}
	to := strings.Split(target, "/")
	i := 0
	for i < len(from) && i < len(to)-1 && from[i] == to[i] {
		i++
	}
	return strings.Repeat("../", len(from)-i) + strings.Join(to[i:], "/")
}

// rootOf is the prefix that leads from page back to the site root.
func rootOf(page string) string {
	return strings.Repeat("../", strings.Count(page, "/"))
}
