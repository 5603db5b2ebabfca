package sitegen

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/sockbook/sockbook/recipes"
)

// navChapter is a chapter in the sidebar.
type navChapter struct {
	Name, Number, Title, Path string
	Recipes                   []recipeRef
}

// nav lists every chapter of the table and every notebook, for the
// sidebar; a chapter without a notebook has no Path.
func nav(rs []recipes.Recipe, chapters []*chapter) []navChapter {
	var out []navChapter
	names := recipes.Chapters(rs)
	for _, ch := range chapters {
		if !slices.Contains(names, ch.Name) {
			names = append(names, ch.Name)
		}
	}
	for _, name := range names {
		n := navChapter{Name: name, Number: chapterNumber(name), Title: chapterTitle(name)}
		if ch := chapterNamed(chapters, name); ch != nil {
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
	Lessons    []*lessonPage
	Exercises  []*lessonPage
	Course     []*lessonPage // lessons and exercises in course order
	Data       any
	Benchmarks bool // the site has a benchmarks page
	LiveReload bool
	Version    version
	RepoURL    string
}

// write renders pages and copies the assets, the charts and the
// notebooks into the output folder.
func (s *site) write(pages []*page, chapters []*chapter, c *course, charts []chart) error {
	out := s.cfg.Out
	if err := prepareOut(out); err != nil {
		return err
	}
	nav := nav(s.recipes, chapters)
	hasBench := slices.ContainsFunc(pages, func(p *page) bool { return p.Kind == "benchmarks" })
	var sitemap strings.Builder
	sitemap.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	render := func(p *page, root string) error {
		var buf bytes.Buffer
		v := view{Page: p, Root: root, Chapters: nav, Lessons: c.lessons, Exercises: c.exercises, Course: c.order(),
			Data: p.data, LiveReload: s.cfg.LiveReload, Version: s.version, RepoURL: strings.TrimSuffix(s.cfg.RepoURL, "/"), Benchmarks: hasBench}
		if err := s.tmpl.ExecuteTemplate(&buf, "layout.html", v); err != nil {
			return fmt.Errorf("page %s: %w", p.Path, err)
		}
		return writeFile(filepath.Join(out, filepath.FromSlash(p.Path)), buf.Bytes())
	}
	for _, p := range pages {
		if err := render(p, rootOf(p.Path)); err != nil {
			return err
		}
		fmt.Fprintf(&sitemap, "<url><loc>%s</loc></url>\n", html.EscapeString(s.cfg.BaseURL+strings.TrimSuffix(p.Path, "index.html")))
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
	index, err := encodeSearchIndex(searchIndex(pages, pythonNames(chapters)))
	if err != nil {
		return err
	}
	if err := writeFile(filepath.Join(out, searchIndexFile), index); err != nil {
		return err
	}
	css, err := os.ReadFile(filepath.Join(s.cfg.Assets, "assets", "style.css"))
	if err != nil {
		return err
	}
	css = append(compactCSS(css), highlightCSS()...)
	if err := writeFile(filepath.Join(out, "assets", "style.css"), css); err != nil {
		return err
	}
	for _, name := range []string{"site.js", "favicon.svg"} {
		data, err := os.ReadFile(filepath.Join(s.cfg.Assets, "assets", name))
		if err != nil {
			return err
		}
		if name == "site.js" {
			data = compactScript(data)
		}
		if err := writeFile(filepath.Join(out, "assets", name), data); err != nil {
			return err
		}
	}
	if hasBench {
		if err := writeCharts(out, charts); err != nil {
			return err
		}
	}
	for _, ch := range chapters {
		data, err := os.ReadFile(ch.disk)
		if err != nil {
			return err
		}
		if err := writeFile(filepath.Join(out, filepath.FromSlash(ch.File)), data); err != nil {
			return err
		}
		// From file:// a browser opens the notebook instead of saving it;
		// site.js then loads this script, which holds the same bytes, and
		// saves them through a blob: URL, which the download attribute does
		// work on.
		str, err := json.Marshal(string(data))
		if err != nil {
			return err
		}
		script := fmt.Sprintf("window.sockbookFiles=window.sockbookFiles||{};window.sockbookFiles[%q]=%s;\n", ch.File, str)
		if err := writeFile(filepath.Join(out, filepath.FromSlash(ch.File)+".js"), []byte(script)); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(out, marker), nil, 0o644)
}

var cssComment = regexp.MustCompile(`(?s)/\*.*?\*/`)

// compactCSS drops the comments, indentation and blank lines of a style
// sheet: every page loads it, and they count against the page budget.
// style.css holds no string in which that would change anything.
func compactCSS(css []byte) []byte {
	var out bytes.Buffer
	for _, line := range strings.Split(cssComment.ReplaceAllString(string(css), ""), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out.WriteString(line)
			out.WriteByte('\n')
		}
	}
	return out.Bytes()
}

// compactScript drops the indentation, blank lines and whole-line //
// comments of a script, for the same reason. Line breaks stay, so
// automatic semicolons do not change; site.js has no template literals or
// continued strings, in which a line's start would be text.
func compactScript(js []byte) []byte {
	var out bytes.Buffer
	for _, line := range strings.Split(string(js), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "//") {
			out.WriteString(line)
			out.WriteByte('\n')
		}
	}
	return out.Bytes()
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
