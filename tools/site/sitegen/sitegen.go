// Package sitegen renders sockbook's tutorial website: one page per chapter
// notebook (notebooks/NN-name.ipynb), the course (tutorials/), a cheat
// sheet of all recipes of recipes.tsv from the snippets of recipes/sheet,
// a Python → Go reference, the committed benchmark results of
// tools/bench/results with their charts, the whole book on one page for
// printing, a 404 page, sitemap.xml and a client-side search index.
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
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/sockbook/sockbook/recipes"
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

	// Sheet is the folder of the cheat sheet's snippets, package
	// recipes/sheet. Default: Root/recipes/sheet.
	Sheet string

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

// Build renders the site described by cfg into cfg.Out. Each phase
// returns what the next one reads: the sources found on disk, the pages of
// each kind rendered from them, the pages in reading order, the files
// written.
func Build(cfg Config) (*Result, error) {
	start := time.Now()
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	rs, err := loadRecipes(cfg.Root)
	if err != nil {
		return nil, err
	}
	src, err := discover(cfg)
	if err != nil {
		return nil, fmt.Errorf("sitegen: %w", err)
	}
	s, err := newSite(cfg, rs, src.routes)
	if err != nil {
		return nil, err
	}
	chapters, err := s.renderChapters(src.notebooks)
	if err != nil {
		return nil, fmt.Errorf("sitegen: %w", err)
	}
	course, err := s.renderCourse(src.lessons, src.exercises, chapters)
	if err != nil {
		return nil, fmt.Errorf("sitegen: %w", err)
	}
	bench, err := s.renderBenchmarks(src.benchMDs)
	if err != nil {
		return nil, fmt.Errorf("sitegen: %w", err)
	}
	sheet, err := s.cheatSheet(chapters)
	if err != nil {
		return nil, fmt.Errorf("sitegen: %w", err)
	}
	pages := readingOrder(chapters, course, sheet, reference(chapters), bench, book(chapters))
	for _, ch := range chapters {
		ch.page.Source = ch.File
	}
	for _, l := range course.order() {
		l.page.Source = l.File
	}
	if err := s.write(pages, chapters, course, src.charts); err != nil {
		return nil, fmt.Errorf("sitegen: %w", err)
	}
	res := &Result{Duration: time.Since(start)}
	for _, p := range pages {
		res.Pages = append(res.Pages, p.Path)
	}
	return res, nil
}

// withDefaults fills in the folders and addresses cfg leaves empty.
func (cfg Config) withDefaults() (Config, error) {
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
	if cfg.Sheet == "" {
		cfg.Sheet = filepath.Join(cfg.Root, "recipes", "sheet")
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
		return cfg, errors.New("sitegen: no output folder")
	}
	return cfg, nil
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

// A site is what rendering any page needs: the configuration, the recipe
// table, where every repository file lands on the site, the markdown
// renderer and the templates. It is set up once by newSite and only read
// afterwards, so chapters can render concurrently.
type site struct {
	cfg     Config
	recipes []recipes.Recipe
	bySlug  map[string]recipes.Recipe
	routes  map[string]string // repository path → site path
	md      goldmark.Markdown
	tmpl    *template.Template
	version version
	plain   map[string]bool // token classes highlight leaves unmarked
}

func newSite(cfg Config, rs []recipes.Recipe, routes map[string]string) (*site, error) {
	s := &site{cfg: cfg, recipes: rs, bySlug: map[string]recipes.Recipe{}, routes: routes, plain: plainClasses()}
	for _, r := range rs {
		s.bySlug[r.Slug] = r
	}
	s.md = newMarkdown(s)
	s.version = repoVersion(cfg.Root)
	var err error
	if s.tmpl, err = template.New("").Funcs(template.FuncMap{
		"slug": slugify,
	}).ParseGlob(filepath.Join(cfg.Assets, "templates", "*.html")); err != nil {
		return nil, fmt.Errorf("sitegen: templates: %w", err)
	}
	return s, nil
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
	Lesson   *lessonPage
	Prev     *page
	Next     *page
	Source   string // repository path of the file the page is made from, "" for none
	data     any    // what the page's template needs beyond the body
}

// readingOrder returns every page, linked prev/next: home, the chapters,
// the course (each lesson followed by its exercises), the cheat sheet,
// the reference, the benchmarks page when there is one, and the whole
// book on one page.
func readingOrder(chapters []*chapter, c *course, cheats, ref, bench, all *page) []*page {
	pages := []*page{{Path: "index.html", Title: "sockbook", Kind: "home"}}
	for _, ch := range chapters {
		pages = append(pages, ch.page)
	}
	pages = append(pages, c.index)
	for _, l := range c.order() {
		pages = append(pages, l.page)
	}
	pages = append(pages, cheats, ref)
	if bench != nil {
		pages = append(pages, bench)
	}
	pages = append(pages, all)
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

// A version is the commit a site was built from, shown on every page.
// It is the commit's own date, not the clock's, so building the same
// commit twice gives the same bytes.
type version struct {
	Commit string // abbreviated hash; "" outside a git checkout
	Full   string
	Date   string // "2026-12-07"
}

// repoVersion asks git for the commit checked out at root. Outside a git
// checkout, or without git, the pages say nothing about a version.
func repoVersion(root string) version {
	out, err := exec.Command("git", "-C", root, "log", "-1", "--format=%h %H %cs").Output()
	if err != nil {
		return version{}
	}
	f := strings.Fields(string(out))
	if len(f) != 3 {
		return version{}
	}
	return version{Commit: f[0], Full: f[1], Date: f[2]}
}
