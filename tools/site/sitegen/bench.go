package sitegen

import (
	"fmt"
	"html/template"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// benchRepoDir is where `go run ./tools/bench` writes its results in the
// repository, and so where the links inside them were written from.
const benchRepoDir = "tools/bench/results"

// benchSiteDir is the folder of the built site the charts are copied to.
const benchSiteDir = "benchmarks"

// chartExts are the image files of the results folder the site copies.
var chartExts = []string{".svg", ".png"}

// A benchSection is one results file, NAME.md, rendered as a section of the
// benchmarks page.
type benchSection struct {
	Name string // file name without .md; the id of the section's heading
	Body template.HTML
}

// benchPage is what the benchmarks template shows.
type benchPage struct {
	Sections []benchSection
	Dir      string // repository path of the results folder
	Source   string // the results folder on the web
	Method   string // tools/bench/README.md on the web, which says how it measures
}

// A chart is an image of the results folder, copied into the site.
type chart struct {
	disk, site string
}

// benchRepoPath is the repository path of the Benchmarks folder. Links in
// the results are relative to it; a folder outside Root is read as if it
// were the default one.
func benchRepoPath(cfg Config) string {
	root, err1 := filepath.Abs(cfg.Root)
	dir, err2 := filepath.Abs(cfg.Benchmarks)
	if err1 != nil || err2 != nil {
		return benchRepoDir
	}
	rel, err := filepath.Rel(root, dir)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return benchRepoDir
	}
	return filepath.ToSlash(rel)
}

// prefixedIDs hands out heading ids for one results file on a page shared
// with others: each id starts with the file's name, and none repeats on
// the page.
type prefixedIDs struct {
	prefix string
	page   idSet
}

func (p prefixedIDs) Generate(value []byte, kind ast.NodeKind) []byte {
	s := slugify(string(value))
	if s == "" {
		s = "section"
	}
	return p.page.Generate([]byte(p.prefix+"-"+s), kind)
}

func (p prefixedIDs) Put(value []byte) { p.page.Put(value) }

// renderBenchmarks renders each results file as a section of one page,
// its headings one level down so the page keeps a single h1. Without
// results there is no page (nil).
func (s *site) renderBenchmarks(mds []string) (*page, error) {
	if len(mds) == 0 {
		return nil, nil
	}
	repoDir := benchRepoPath(s.cfg)
	p := &page{Path: "benchmarks.html", Title: "Benchmarks", Kind: "benchmarks"}
	repo := strings.TrimSuffix(s.cfg.RepoURL, "/")
	data := benchPage{Dir: repoDir, Source: repo + "/tree/main/" + repoDir, Method: repo + "/blob/main/tools/bench/README.md"}
	ids := idSet{}
	for _, md := range mds {
		src, err := os.ReadFile(md)
		if err != nil {
			return nil, err
		}
		name := strings.TrimSuffix(filepath.Base(md), ".md")
		anchor := slugify(name)
		if anchor == "" || ids[anchor] {
			return nil, fmt.Errorf("%s: file name %q gives no heading id of its own", md, name)
		}
		ids.Put([]byte(anchor))
		d := &doc{src: repoDir + "/" + filepath.Base(md), page: p.Path, firstID: anchor, demote: 1, charts: true}
		body, err := s.render(d, string(src), prefixedIDs{prefix: anchor, page: ids})
		if err != nil {
			return nil, err
		}
		if len(d.headings) == 0 || d.headings[0].ID != anchor || d.headings[0].Level != 1+d.demote {
			return nil, fmt.Errorf("%s: results file does not start with a \"# Title\" line", d.src)
		}
		p.Headings = append(p.Headings, d.headings...)
		data.Sections = append(data.Sections, benchSection{Name: anchor, Body: body})
	}
	p.data = data
	return p, nil
}

// writeCharts copies the charts beside the benchmarks page.
func writeCharts(out string, charts []chart) error {
	for _, c := range charts {
		data, err := os.ReadFile(c.disk)
		if err != nil {
			return err
		}
		if err := writeFile(filepath.Join(out, filepath.FromSlash(c.site)), data); err != nil {
			return err
		}
	}
	return nil
}

// checkChart makes sure an image of a results file, written as src and
// rewritten to dest, is one of the charts copied into the site: anything
// else would show as a broken image.
func (s *site) checkChart(page, src, dest string) error {
	target := path.Join(path.Dir(page), dest)
	for _, sitePath := range s.routes {
		if sitePath == target && strings.HasPrefix(sitePath, benchSiteDir+"/") {
			return nil
		}
	}
	return fmt.Errorf("image %q: no chart of that name beside the results (only %s files are copied)", src, strings.Join(chartExts, ", "))
}
