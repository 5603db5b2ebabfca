package sitegen

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/sockbook/sockbook/internal/lesson"
)

// sources is what discover finds on disk: the files each kind of page is
// rendered from, and where every repository path lands on the site, so
// links can be rewritten before any page is rendered.
type sources struct {
	notebooks []notebook
	lessons   []*lessonPage // front matter and body read, not yet rendered
	exercises []*lessonPage // the README of each exercise folder
	benchMDs  []string      // results files of cfg.Benchmarks
	charts    []chart       // images beside them
	routes    map[string]string
}

// A notebook is a chapter's notebook file, before it is read.
type notebook struct {
	Name string // "02-tcp"
	File string // repository path, "notebooks/02-tcp.ipynb"
	Path string // site path, "chapters/02-tcp.html"
	disk string // where it is read from
}

// discover lists the notebooks, the course files and the benchmark
// results of cfg, and routes each to its site path.
func discover(cfg Config) (*sources, error) {
	src := &sources{routes: map[string]string{}}
	nbs, err := filepath.Glob(filepath.Join(cfg.Notebooks, "*.ipynb"))
	if err != nil {
		return nil, err
	}
	slices.Sort(nbs)
	for _, disk := range nbs {
		name := strings.TrimSuffix(filepath.Base(disk), ".ipynb")
		nb := notebook{Name: name, File: "notebooks/" + name + ".ipynb", Path: "chapters/" + name + ".html", disk: disk}
		src.notebooks = append(src.notebooks, nb)
		src.routes[nb.File] = nb.Path
	}

	if readme := filepath.Join(cfg.Tutorials, "README.md"); exists(readme) {
		src.routes["tutorials/README.md"] = "course/index.html"
	}
	lessons, err := filepath.Glob(filepath.Join(cfg.Tutorials, "lessons", "*.md"))
	if err != nil {
		return nil, err
	}
	slices.Sort(lessons)
	for _, disk := range lessons {
		name := strings.TrimSuffix(filepath.Base(disk), ".md")
		l, err := readLesson(disk)
		if err != nil {
			return nil, err
		}
		l.Name, l.File, l.Path = name, "tutorials/lessons/"+name+".md", "course/"+name+".html"
		src.lessons = append(src.lessons, l)
		src.routes[l.File] = l.Path
	}
	exercises, err := filepath.Glob(filepath.Join(cfg.Tutorials, "exercises", "*", "README.md"))
	if err != nil {
		return nil, err
	}
	slices.Sort(exercises)
	for _, disk := range exercises {
		name := filepath.Base(filepath.Dir(disk))
		data, err := os.ReadFile(disk)
		if err != nil {
			return nil, err
		}
		l := &lessonPage{Name: name, File: "tutorials/exercises/" + name + "/README.md",
			Path: "course/exercises/" + name + ".html", body: string(data), Title: firstHeading(string(data), name)}
		src.exercises = append(src.exercises, l)
		src.routes[l.File] = l.Path
	}
	if src.benchMDs, src.charts, err = benchmarks(cfg, src.routes); err != nil {
		return nil, fmt.Errorf("benchmarks: %w", err)
	}
	return src, nil
}

// readLesson reads a lesson through the course's parser, internal/lesson.
func readLesson(disk string) (*lessonPage, error) {
	l, err := lesson.ReadFile(disk)
	if err != nil {
		return nil, err
	}
	return &lessonPage{Title: l.Title, Chapter: l.Chapter, Recipes: l.Recipes, Minutes: l.Minutes,
		body: l.Body, bodyLine: l.BodyLine}, nil
}

// benchmarks finds the results markdown files and charts in the Benchmarks
// folder and routes each chart's repository path to its copy on the site.
// A missing folder, or one without *.md files, gives no page.
func benchmarks(cfg Config, routes map[string]string) (mds []string, charts []chart, err error) {
	dir := cfg.Benchmarks
	if mds, err = filepath.Glob(filepath.Join(dir, "*.md")); err != nil || len(mds) == 0 {
		return nil, nil, err
	}
	slices.Sort(mds)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, err
	}
	repoDir := benchRepoPath(cfg)
	for _, md := range mds {
		// A notebook or lesson that cites a result links to its file,
		// which GitHub and Jupyter show; the site shows its section.
		name := strings.TrimSuffix(filepath.Base(md), ".md")
		routes[repoDir+"/"+filepath.Base(md)] = "benchmarks.html#" + slugify(name)
	}
	for _, e := range entries {
		if e.IsDir() || !slices.Contains(chartExts, strings.ToLower(path.Ext(e.Name()))) {
			continue
		}
		c := chart{disk: filepath.Join(dir, e.Name()), site: benchSiteDir + "/" + e.Name()}
		charts = append(charts, c)
		routes[repoDir+"/"+e.Name()] = c.site
	}
	return mds, charts, nil
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
