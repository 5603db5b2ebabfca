package sitegen

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"html/template"
	"regexp"
	"strings"
	"sync"

	"github.com/sockbook/sockbook/tools/nbformat"
)

// A chapter is one notebook rendered as a page.
type chapter struct {
	Name    string // "02-tcp"
	Number  string // "02"
	Title   string // from the notebook's first "# " heading
	File    string // repository path, "notebooks/02-tcp.ipynb"
	Path    string // site path, "chapters/02-tcp.html"
	Recipes []recipeRef
	tables  []template.HTML
	page    *page
	disk    string // where the notebook was read from
}

// A recipeRef is a recipe section found in a notebook.
type recipeRef struct {
	Slug, Title string
}

// renderChapters renders every notebook into its chapter page. Chapters
// are independent, and highlighting them is most of a build, so they
// render concurrently.
func (s *site) renderChapters(nbs []notebook) ([]*chapter, error) {
	chapters := make([]*chapter, len(nbs))
	errs := make([]error, len(nbs))
	var wg sync.WaitGroup
	for i, nb := range nbs {
		wg.Go(func() { chapters[i], errs[i] = s.renderChapter(nb) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return chapters, nil
}

// renderChapter renders a notebook's cells into its page and collects its
// recipes and reference tables.
func (s *site) renderChapter(f notebook) (*chapter, error) {
	nb, err := nbformat.ReadFile(f.disk)
	if err != nil {
		return nil, err
	}
	ch := &chapter{Name: f.Name, Number: chapterNumber(f.Name), Title: chapterTitle(f.Name), File: f.File, Path: f.Path,
		disk: f.disk}
	ids := idSet{}
	for _, c := range nb.Cells {
		if slug := c.Recipe(); slug != "" {
			if ids[slug] {
				return nil, fmt.Errorf("%s: recipe %q opens two sections", ch.File, slug)
			}
			ids.Put([]byte(slug))
		}
	}
	var body strings.Builder
	p := &page{Path: ch.Path, Kind: "chapter", Chapter: ch}
	for i, c := range nb.Cells {
		if slug := c.Recipe(); slug != "" {
			r, ok := s.bySlug[slug]
			title := slug
			if ok {
				title = r.Title
			}
			ch.Recipes = append(ch.Recipes, recipeRef{Slug: slug, Title: title})
		}
		switch c.Type {
		case "markdown":
			d := &doc{src: ch.File, page: ch.Path, firstID: c.Recipe()}
			if i == 0 || ch.Title == chapterTitle(ch.Name) {
				if m := h1.FindStringSubmatch(c.Source); m != nil {
					ch.Title = s.plainInline(m[1])
				}
			}
			out, err := s.render(d, c.Source, ids)
			if err != nil {
				return nil, fmt.Errorf("cell %d: %w", i, err)
			}
			if c.Recipe() != "" && len(d.headings) > 0 && d.headings[0].ID == c.Recipe() {
				ch.Recipes[len(ch.Recipes)-1].Title = d.headings[0].Text
				d.headings[0].Keywords = c.Recipe()
			} else if c.Recipe() != "" {
				// A recipe cell without a heading still needs its anchor.
				out = template.HTML(fmt.Sprintf(`<span id="%s"></span>`, html.EscapeString(c.Recipe()))) + out
			}
			p.Headings = append(p.Headings, d.headings...)
			fmt.Fprintf(&body, "<div class=\"cell md\">\n%s</div>\n", out)
			if strings.Contains(c.Source, "Python") {
				tables, err := s.collectTables(ch.File, c.Source)
				if err != nil {
					return nil, fmt.Errorf("cell %d: %w", i, err)
				}
				ch.tables = append(ch.tables, tables...)
			}
		case "code":
			outs := renderOutputs(c.Outputs)
			attr := ""
			if c.Recipe() != "" {
				attr = fmt.Sprintf(` id="%s"`, html.EscapeString(c.Recipe()))
			}
			var code strings.Builder
			s.highlight(&code, "go", c.Source)
			fmt.Fprintf(&body, "<div class=\"cell code-cell\"%s>\n%s%s%s</div>\n", attr, cellBadges(c), code.String(), outs)
		case "raw":
			// Raw cells are for other converters; the site shows nothing.
		}
	}
	p.Title = ch.Title
	p.Body = template.HTML(body.String())
	ch.page = p
	return ch, nil
}

// collectTables renders the Python → Go tables of a markdown cell as they
// appear on the reference page.
func (s *site) collectTables(file, src string) ([]template.HTML, error) {
	d := &doc{src: file, page: "reference.html"}
	if _, err := s.render(d, src, idSet{}); err != nil {
		return nil, err
	}
	var tables []template.HTML
	for _, t := range d.tables {
		var buf bytes.Buffer
		if err := s.md.Renderer().Render(&buf, d.source, t); err != nil {
			return nil, err
		}
		tables = append(tables, template.HTML(wrapTables(buf.String())))
	}
	return tables, nil
}

// cellBadges marks a code cell that does not run everywhere.
func cellBadges(c *nbformat.Cell) string {
	var badges []string
	for _, r := range c.Requires() {
		badges = append(badges, needLabel(r))
	}
	if c.HasTag("skip-execution") {
		badges = append(badges, "not run when the notebook is checked")
	}
	if c.HasTag("raises-exception") {
		badges = append(badges, "fails on purpose")
	}
	if len(badges) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(`<p class="badges">`)
	for _, l := range badges {
		fmt.Fprintf(&b, `<span class="badge">%s</span>`, html.EscapeString(l))
	}
	b.WriteString("</p>\n")
	return b.String()
}

// needLabel is the badge text of a requirement name, as the notebooks'
// "requires" metadata and recipes.Recipe.Requirements spell them.
func needLabel(r string) string {
	if label, ok := map[string]string{"root": "needs root", "afalg": "needs AF_ALG", "ipv6": "needs IPv6",
		"linux": "Linux only", "bsd": "BSD and macOS only"}[r]; ok {
		return label
	}
	return "needs " + r
}

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*[A-Za-z]")

// renderOutputs shows a code cell's outputs as escaped text blocks, styled
// by kind. Rich outputs are shown by their text/plain form, and PNG images
// inline; HTML outputs are never passed through.
func renderOutputs(outs []*nbformat.Output) template.HTML {
	var b strings.Builder
	block := func(class, label, text string) {
		fmt.Fprintf(&b, `<div class="output %s"><span class="out-label">%s</span><pre tabindex="0">%s</pre></div>`+"\n",
			class, label, html.EscapeString(strings.TrimRight(text, "\n")))
	}
	for _, o := range outs {
		switch o.Type {
		case "stream":
			if o.Name == "stderr" {
				block("stderr", "stderr", o.Text)
			} else {
				block("stdout", "output", o.Text)
			}
		case "execute_result", "display_data":
			if png, ok := o.Data["image/png"].(string); ok {
				fmt.Fprintf(&b, `<div class="output result"><img alt="plot output" src="data:image/png;base64,%s"></div>`+"\n",
					html.EscapeString(strings.TrimSpace(png)))
				continue
			}
			if t, ok := o.Data["text/plain"].(string); ok {
				block("result", "result", t)
			}
		case "error":
			text := o.Ename + ": " + o.Evalue
			if len(o.Traceback) > 0 {
				text = ansi.ReplaceAllString(strings.Join(o.Traceback, "\n"), "")
			}
			block("error", "error", text)
		}
	}
	return template.HTML(b.String())
}

func chapterNumber(name string) string {
	n, _, _ := strings.Cut(name, "-")
	return n
}

// chapterTitle makes "Event loops" of "06-event-loops", for chapters that
// have no notebook yet.
func chapterTitle(name string) string {
	_, rest, _ := strings.Cut(name, "-")
	words := strings.ReplaceAll(rest, "-", " ")
	known := map[string]string{"tcp": "TCP", "tls": "TLS", "udp": "UDP", "ipc": "IPC", "afalg": "AF_ALG"}
	if k, ok := known[words]; ok {
		return k
	}
	if words == "" {
		return name
	}
	return strings.ToUpper(words[:1]) + words[1:]
}

// chapterNamed returns the chapter called name, or nil.
func chapterNamed(chapters []*chapter, name string) *chapter {
	for _, ch := range chapters {
		if ch.Name == name {
			return ch
		}
	}
	return nil
}
