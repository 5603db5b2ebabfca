// Package sitegen renders sockbook's tutorial website: one page per chapter
// notebook (notebooks/NN-name.ipynb), the course (tutorials/), a one-page
// cheat sheet of all recipes of recipes.tsv, a Python → Go reference, the
// committed benchmark results of tools/bench/results with their charts, a
// 404 page, sitemap.xml and a client-side search index.
//
// Pages link to each other with relative URLs only and load nothing from
// other hosts, so the built folder works from file://, under any sub-path
// and offline. Markdown goes through goldmark (GFM, footnotes, typographer,
// heading ids) with raw HTML dropped; code is highlighted by chroma into CSS
// classes whose colours come from one style sheet holding a light and a
// dark theme.
//
// Recipe headings carry id="<slug>" on their chapter page and on the cheat
// sheet; [Coverage] checks that in a built site.
package sitegen

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sockbook/sockbook/recipes"
	"github.com/sockbook/sockbook/tools/nbformat"
	"github.com/yuin/goldmark"
)

// Config says where a build reads from and writes to.
type Config struct {
	// Root is the repository root. Notebooks, Tutorials and Assets default
	// to its notebooks/, tutorials/ and site/ folders, and its
	// recipes/recipes.tsv, when present, is read instead of the table
	// compiled into the recipes package (so serve sees edits).
	Root string

	Notebooks string // folder of NN-name.ipynb chapter notebooks
	Tutorials string // folder holding README.md, lessons/ and exercises/
	Assets    string // folder holding templates/ and assets/

	// Benchmarks is the folder `go run ./tools/bench` writes its results
	// to: NAME.md files with their charts (*.svg) beside them. When it
	// holds any .md file the site gets a benchmarks page, one section per
	// file, and the charts are copied to benchmarks/. Default:
	// Root/tools/bench/results.
	Benchmarks string

	// Out is the output folder. Build replaces its contents; it refuses a
	// non-empty folder it did not create.
	Out string

	// BaseURL is where the site is published, used only for sitemap.xml
	// and the links of the 404 page (which is served at any depth).
	// Default "http://localhost:8000/".
	BaseURL string

	// RepoURL is the repository's web address; links to repository files
	// the site does not render point there.
	RepoURL string

	// LiveReload adds the script that reloads the page when serve rebuilds.
	LiveReload bool
}

// Result describes a finished build.
type Result struct {
	Pages    []string // site paths of the HTML pages, in reading order
	Duration time.Duration
}

// marker is the file Build leaves in its output folder, so a later build
// knows the folder is its own to replace.
const marker = ".sockbook-site"

type site struct {
	cfg       Config
	md        goldmark.Markdown
	recipes   []recipes.Recipe
	bySlug    map[string]recipes.Recipe
	routes    map[string]string // repository path → site path
	chapters  []*chapter
	lessons   []*lesson
	exercises []*lesson
	pages     []*page
	tmpl      *template.Template
	plain     map[string]bool // token classes highlight leaves unmarked
	course    *page           // the syllabus
	bench     *page           // nil without benchmark results
	benchMDs  []string        // results files of cfg.Benchmarks
	charts    []chart         // images beside them
}

// Build renders the site described by cfg into cfg.Out.
func Build(cfg Config) (*Result, error) {
	start := time.Now()
	if cfg.Root == "" {
		cfg.Root = "."
	}
	if cfg.Notebooks == "" {
		cfg.Notebooks = filepath.Join(cfg.Root, "notebooks")
	}
	if cfg.Tutorials == "" {
		cfg.Tutorials = filepath.Join(cfg.Root, "tutorials")
	}
	if cfg.Assets == "" {
		cfg.Assets = filepath.Join(cfg.Root, "site")
	}
	if cfg.Benchmarks == "" {
		cfg.Benchmarks = filepath.Join(cfg.Root, filepath.FromSlash(benchRepoDir))
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = "http://localhost:8000/"
	}
	if !strings.HasSuffix(cfg.BaseURL, "/") {
		cfg.BaseURL += "/"
	}
	if cfg.RepoURL == "" {
		cfg.RepoURL = "https://github.com/sockbook/sockbook"
	}
	if cfg.Out == "" {
		return nil, errors.New("sitegen: no output folder")
	}
	s := &site{cfg: cfg, routes: map[string]string{}, bySlug: map[string]recipes.Recipe{}, plain: plainClasses()}
	s.md = newMarkdown(s)
	var err error
	if s.recipes, err = loadRecipes(cfg.Root); err != nil {
		return nil, err
	}
	for _, r := range s.recipes {
		s.bySlug[r.Slug] = r
	}
	if s.tmpl, err = template.New("").Funcs(template.FuncMap{
		"slug": slugify,
	}).ParseGlob(filepath.Join(cfg.Assets, "templates", "*.html")); err != nil {
		return nil, fmt.Errorf("sitegen: templates: %w", err)
	}
	if err := s.discover(); err != nil {
		return nil, fmt.Errorf("sitegen: %w", err)
	}
	// Charts are routed before any page renders, like the other files.
	if s.benchMDs, s.charts, err = s.benchmarks(); err != nil {
		return nil, fmt.Errorf("sitegen: benchmarks: %w", err)
	}
	// Chapters are independent, and highlighting them is most of a build.
	errs := make([]error, len(s.chapters))
	var wg sync.WaitGroup
	for i, ch := range s.chapters {
		wg.Go(func() { errs[i] = s.renderChapter(ch) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("sitegen: %w", err)
	}
	if err := s.renderCourse(); err != nil {
		return nil, fmt.Errorf("sitegen: %w", err)
	}
	if len(s.benchMDs) > 0 {
		if s.bench, err = s.renderBenchmarks(s.benchMDs); err != nil {
			return nil, fmt.Errorf("sitegen: %w", err)
		}
	}
	s.pages = s.readingOrder()
	if err := s.write(); err != nil {
		return nil, fmt.Errorf("sitegen: %w", err)
	}
	res := &Result{Duration: time.Since(start)}
	for _, p := range s.pages {
		res.Pages = append(res.Pages, p.Path)
	}
	return res, nil
}

func loadRecipes(root string) ([]recipes.Recipe, error) {
	data, err := os.ReadFile(filepath.Join(root, "recipes", "recipes.tsv"))
	if errors.Is(err, fs.ErrNotExist) {
		return recipes.All()
	}
	if err != nil {
		return nil, fmt.Errorf("sitegen: %w", err)
	}
	rs, err := recipes.Parse(string(data))
	if err != nil {
		return nil, fmt.Errorf("sitegen: %s: %w", filepath.Join(root, "recipes", "recipes.tsv"), err)
	}
	return rs, nil
}

// A page is one HTML file of the site.
type page struct {
	Path     string // site path, e.g. "chapters/02-tcp.html"
	Title    string
	Kind     string // names the template block of the page's header
	Body     template.HTML
	Lead     template.HTML // a lesson's leading <h1>, shown above its details
	Headings []heading
	Chapter  *chapter
	Lesson   *lesson
	Prev     *page
	Next     *page
	search   [][]string // extra search entries: text, fragment, keywords
	data     any        // what the page's template needs beyond the body
}

// renderChapter renders a notebook's cells into its page and collects its
// recipes, cheat sheet entries and reference tables.
func (s *site) renderChapter(ch *chapter) error {
	nb, err := nbformat.ReadFile(ch.disk)
	if err != nil {
		return err
	}
	ch.nb = nb
	ch.Title = chapterTitle(ch.Name)
	ids := idSet{}
	for _, c := range nb.Cells {
		if slug := c.Recipe(); slug != "" {
			if ids[slug] {
				return fmt.Errorf("%s: recipe %q opens two sections", ch.File, slug)
			}
			ids.Put([]byte(slug))
		}
	}
	var body strings.Builder
	p := &page{Path: ch.Path, Kind: "chapter", Chapter: ch}
	var section string // slug of the recipe section being read
	for i, c := range nb.Cells {
		if slug := c.Recipe(); slug != "" {
			section = slug
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
				return fmt.Errorf("cell %d: %w", i, err)
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
				if err := s.collectTables(ch, c.Source); err != nil {
					return fmt.Errorf("cell %d: %w", i, err)
				}
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
			if cur := ch.cheats[section]; section != "" && (cur == nil || c.HasTag("cheatsheet") && !cur.Tagged) {
				ch.cheats[section] = &cheat{Code: template.HTML(code.String()), Outputs: outs, Tagged: c.HasTag("cheatsheet")}
			}
		case "raw":
			// Raw cells are for other converters; the site shows nothing.
		}
	}
	p.Title = ch.Title
	p.Body = template.HTML(body.String())
	ch.page = p
	return nil
}

// collectTables renders the Python → Go tables of a markdown cell as they
// appear on the reference page.
func (s *site) collectTables(ch *chapter, src string) error {
	d := &doc{src: ch.File, page: "reference.html"}
	if _, err := s.render(d, src, idSet{}); err != nil {
		return err
	}
	for _, t := range d.tables {
		var buf bytes.Buffer
		if err := s.md.Renderer().Render(&buf, d.source, t); err != nil {
			return err
		}
		ch.tables = append(ch.tables, template.HTML(wrapTables(buf.String())))
	}
	return nil
}

// plainInline renders inline markdown and strips its tags, for titles.
func (s *site) plainInline(src string) string {
	return html.UnescapeString(tagRE.ReplaceAllString(s.inline(src), ""))
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

// cellBadges marks a code cell that does not run everywhere.
func cellBadges(c *nbformat.Cell) string {
	var badges []string
	for _, r := range requirements(c) {
		label := map[string]string{"root": "needs root", "afalg": "needs AF_ALG", "ipv6": "needs IPv6", "linux": "Linux only"}[r]
		if label == "" {
			label = "needs " + r
		}
		badges = append(badges, label)
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

// renderCourse renders the syllabus, the lessons and the exercise pages.
func (s *site) renderCourse() error {
	var err error
	if s.course, err = s.courseIndex(); err != nil {
		return err
	}
	for _, l := range append(slices.Clone(s.lessons), s.exercises...) {
		d := &doc{src: l.File, page: l.Path}
		out, err := s.render(d, l.body, idSet{})
		if err != nil {
			return err
		}
		kind := "lesson"
		if strings.HasPrefix(l.Path, "course/exercises/") {
			kind = "exercise"
		}
		l.ChapterPage = s.chapter(l.Chapter)
		for _, slug := range l.Recipes {
			r, ok := s.bySlug[slug]
			if !ok {
				return fmt.Errorf("%s: front matter names recipe %q, which is not in recipes.tsv", l.File, slug)
			}
			e := sheetEntry{Slug: slug, Title: r.Title}
			if ch := s.chapter(r.Chapter); ch != nil && slices.ContainsFunc(ch.Recipes, func(x recipeRef) bool { return x.Slug == slug }) {
				e.Link = ch.Path + "#" + slug
			}
			l.Covers = append(l.Covers, e)
		}
		l.page = &page{Path: l.Path, Title: l.Title, Kind: kind, Body: out, Headings: d.headings, Lesson: l}
		if kind == "lesson" {
			l.page.Lead, l.page.Body = splitLead(out)
		}
	}
	return nil
}

// splitLead separates a leading <h1> from the rest of a rendered page.
func splitLead(body template.HTML) (lead, rest template.HTML) {
	s := strings.TrimLeft(string(body), "\n")
	if !strings.HasPrefix(s, "<h1") {
		return "", body
	}
	i := strings.Index(s, "</h1>")
	if i < 0 {
		return "", body
	}
	i += len("</h1>")
	return template.HTML(s[:i]), template.HTML(s[i:])
}

// readingOrder returns every page, linked prev/next: home, the chapters,
// the course, the cheat sheet and the reference.
func (s *site) readingOrder() []*page {
	pages := []*page{{Path: "index.html", Title: "sockbook", Kind: "home"}}
	for _, ch := range s.chapters {
		pages = append(pages, ch.page)
	}
	pages = append(pages, s.course)
	for _, l := range s.lessons {
		pages = append(pages, l.page)
	}
	for _, l := range s.exercises {
		pages = append(pages, l.page)
	}
	pages = append(pages, s.cheatSheet(), s.reference())
	if s.bench != nil {
		pages = append(pages, s.bench)
	}
	for i, p := range pages {
		if i > 0 {
			p.Prev = pages[i-1]
		}
		if i+1 < len(pages) {
			p.Next = pages[i+1]
		}
	}
	return pages
}

// courseIndex renders the syllabus, tutorials/README.md, when there is one.
func (s *site) courseIndex() (*page, error) {
	p := &page{Path: "course/index.html", Title: "The course", Kind: "course"}
	data, err := os.ReadFile(filepath.Join(s.cfg.Tutorials, "README.md"))
	if errors.Is(err, fs.ErrNotExist) {
		return p, nil
	}
	if err != nil {
		return nil, err
	}
	d := &doc{src: "tutorials/README.md", page: p.Path}
	if p.Body, err = s.render(d, string(data), idSet{}); err != nil {
		return nil, err
	}
	p.Headings = d.headings
	p.Title = s.plainInline(firstHeading(string(data), p.Title))
	return p, nil
}

// A sheetEntry is one recipe on the cheat sheet.
type sheetEntry struct {
	Slug, Title string
	Link        string // chapter section, "" when no notebook covers it
	Code        template.HTML
	Outputs     template.HTML
}

// A sheetChapter groups the cheat sheet by chapter.
type sheetChapter struct {
	Name, Title, Link string
	Entries           []sheetEntry
}

func (s *site) cheatSheet() *page {
	p := &page{Path: "cheatsheet.html", Title: "Cheat sheet", Kind: "cheatsheet"}
	var groups []sheetChapter
	for _, name := range recipes.Chapters(s.recipes) {
		ch := s.chapter(name)
		g := sheetChapter{Name: name, Title: chapterTitle(name)}
		if ch != nil {
			g.Title, g.Link = ch.Title, ch.Path
		}
		p.Headings = append(p.Headings, heading{Level: 2, ID: "chapter-" + name, Text: g.Title})
		for _, r := range s.recipes {
			if r.Chapter != name {
				continue
			}
			e := sheetEntry{Slug: r.Slug, Title: r.Title}
			if ch != nil && ch.cheats[r.Slug] != nil {
				c := ch.cheats[r.Slug]
				e.Code, e.Outputs = c.Code, c.Outputs
			}
			if ch != nil && slices.ContainsFunc(ch.Recipes, func(x recipeRef) bool { return x.Slug == r.Slug }) {
				e.Link = ch.Path + "#" + r.Slug
			}
			p.search = append(p.search, []string{r.Title, r.Slug, r.Slug})
			g.Entries = append(g.Entries, e)
		}
		groups = append(groups, g)
	}
	p.data = groups
	return p
}

func (s *site) chapter(name string) *chapter {
	for _, ch := range s.chapters {
		if ch.Name == name {
			return ch
		}
	}
	return nil
}

// A refChapter is one chapter's Python → Go tables.
type refChapter struct {
	Title, Link string
	Tables      []template.HTML
}

func (s *site) reference() *page {
	p := &page{Path: "reference.html", Title: "Python → Go reference", Kind: "reference"}
	var refs []refChapter
	for _, ch := range s.chapters {
		if len(ch.tables) > 0 {
			refs = append(refs, refChapter{Title: ch.Title, Link: ch.Path, Tables: ch.tables})
		}
	}
	p.data = refs
	return p
}

// navChapter is a chapter in the sidebar.
type navChapter struct {
	Name, Number, Title, Path string
	Recipes                   []recipeRef
}

func (s *site) nav() []navChapter {
	var out []navChapter
	names := recipes.Chapters(s.recipes)
	for _, ch := range s.chapters {
		if !slices.Contains(names, ch.Name) {
			names = append(names, ch.Name)
		}
	}
	for _, name := range names {
		n := navChapter{Name: name, Number: chapterNumber(name), Title: chapterTitle(name)}
		if ch := s.chapter(name); ch != nil {
			n.Title, n.Path, n.Recipes = ch.Title, ch.Path, ch.Recipes
		}
		out = append(out, n)
	}
	return out
}

// view is what the templates see.
type view struct {
	Page       *page
	Root       string
	Chapters   []navChapter
	Lessons    []*lesson
	Exercises  []*lesson
	Data       any
	Benchmarks bool // the site has a benchmarks page
	LiveReload bool
}

// write renders every page and copies the assets into the output folder.
func (s *site) write() error {
	out := s.cfg.Out
	if err := prepareOut(out); err != nil {
		return err
	}
	nav := s.nav()
	var sitemap strings.Builder
	sitemap.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	var index [][]string
	render := func(p *page, root string) error {
		var buf bytes.Buffer
		v := view{Page: p, Root: root, Chapters: nav, Lessons: s.lessons, Exercises: s.exercises,
			Data: p.data, LiveReload: s.cfg.LiveReload, Benchmarks: s.bench != nil}
		if err := s.tmpl.ExecuteTemplate(&buf, "layout.html", v); err != nil {
			return fmt.Errorf("page %s: %w", p.Path, err)
		}
		return writeFile(filepath.Join(out, filepath.FromSlash(p.Path)), buf.Bytes())
	}
	for _, p := range s.pages {
		if err := render(p, rootOf(p.Path)); err != nil {
			return err
		}
		fmt.Fprintf(&sitemap, "<url><loc>%s</loc></url>\n", html.EscapeString(s.cfg.BaseURL+strings.TrimSuffix(p.Path, "index.html")))
		index = append(index, []string{p.Title, p.Path, "", ""})
		for _, h := range p.Headings {
			index = append(index, []string{h.Text, p.Path + "#" + h.ID, p.Title, h.Keywords})
		}
		for _, e := range p.search {
			index = append(index, []string{e[0], p.Path + "#" + e[1], p.Title, e[2]})
		}
	}
	sitemap.WriteString("</urlset>\n")
	// The 404 page is served at any depth, so its links start at the
	// published site's path instead of being relative.
	base := "/"
	if i := strings.Index(strings.TrimPrefix(strings.TrimPrefix(s.cfg.BaseURL, "https://"), "http://"), "/"); i >= 0 {
		base = strings.TrimPrefix(strings.TrimPrefix(s.cfg.BaseURL, "https://"), "http://")[i:]
	}
	if err := render(&page{Path: "404.html", Title: "Page not found", Kind: "404"}, base); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(out, "sitemap.xml"), []byte(sitemap.String())); err != nil {
		return err
	}
	js, err := json.Marshal(index)
	if err != nil {
		return err
	}
	if err := writeFile(filepath.Join(out, "search-index.js"), append(append([]byte("window.sockbookSearch="), js...), ";\n"...)); err != nil {
		return err
	}
	css, err := os.ReadFile(filepath.Join(s.cfg.Assets, "assets", "style.css"))
	if err != nil {
		return err
	}
	css = append(css, highlightCSS()...)
	if err := writeFile(filepath.Join(out, "assets", "style.css"), css); err != nil {
		return err
	}
	for _, name := range []string{"site.js", "favicon.svg"} {
		data, err := os.ReadFile(filepath.Join(s.cfg.Assets, "assets", name))
		if err != nil {
			return err
		}
		if err := writeFile(filepath.Join(out, "assets", name), data); err != nil {
			return err
		}
	}
	if s.bench != nil {
		if err := writeCharts(out, s.charts); err != nil {
			return err
		}
	}
	for _, ch := range s.chapters {
		data, err := os.ReadFile(ch.disk)
		if err != nil {
			return err
		}
		if err := writeFile(filepath.Join(out, filepath.FromSlash(ch.File)), data); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(out, marker), nil, 0o644)
}

// prepareOut empties out, which must be missing, empty, or an earlier
// build's output.
func prepareOut(out string) error {
	entries, err := os.ReadDir(out)
	if errors.Is(err, fs.ErrNotExist) {
		return os.MkdirAll(out, 0o755)
	}
	if err != nil {
		return err
	}
	if len(entries) > 0 && !exists(filepath.Join(out, marker)) {
		return fmt.Errorf("output folder %s is not empty and holds no %s from an earlier build: refusing to replace it", out, marker)
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(out, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

func writeFile(name string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(name, data, 0o644)
}
