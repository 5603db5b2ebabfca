package sitegen

import (
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

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
	cheats  map[string]*cheat
	tables  []template.HTML
	page    *page
	nb      *nbformat.Notebook
	disk    string // where the notebook was read from
}

// A recipeRef is a recipe section found in a notebook.
type recipeRef struct {
	Slug, Title string
}

// A cheat is a recipe's key lines and their output, for the cheat sheet.
type cheat struct {
	Code    template.HTML // highlighted
	Outputs template.HTML
	Tagged  bool // the cell carries the "cheatsheet" tag, so it wins over the section's first code cell
}

// A lesson is one markdown page of the course.
type lesson struct {
	Name    string // "01-addresses"
	File    string // repository path
	Path    string // site path
	Title   string
	Chapter string
	Recipes []string
	Minutes int
	// Filled in when rendered: the chapter page and the recipe sections
	// the lesson covers (Link is empty where no notebook has the section).
	ChapterPage *chapter
	Covers      []sheetEntry
	body        string
	page        *page
}

// discover lists notebooks and course files, and records where each
// repository path lands on the site, so links can be rewritten before any
// page is rendered.
func (s *site) discover() error {
	nbs, err := filepath.Glob(filepath.Join(s.cfg.Notebooks, "*.ipynb"))
	if err != nil {
		return err
	}
	slices.Sort(nbs)
	for _, disk := range nbs {
		name := strings.TrimSuffix(filepath.Base(disk), ".ipynb")
		ch := &chapter{Name: name, Number: chapterNumber(name), File: "notebooks/" + name + ".ipynb",
			Path: "chapters/" + name + ".html", disk: disk, cheats: map[string]*cheat{}}
		s.chapters = append(s.chapters, ch)
		s.routes[ch.File] = ch.Path
	}

	if readme := filepath.Join(s.cfg.Tutorials, "README.md"); exists(readme) {
		s.routes["tutorials/README.md"] = "course/index.html"
	}
	lessons, err := filepath.Glob(filepath.Join(s.cfg.Tutorials, "lessons", "*.md"))
	if err != nil {
		return err
	}
	slices.Sort(lessons)
	for _, disk := range lessons {
		name := strings.TrimSuffix(filepath.Base(disk), ".md")
		l, err := readLesson(disk)
		if err != nil {
			return err
		}
		l.Name, l.File, l.Path = name, "tutorials/lessons/"+name+".md", "course/"+name+".html"
		s.lessons = append(s.lessons, l)
		s.routes[l.File] = l.Path
	}
	exercises, err := filepath.Glob(filepath.Join(s.cfg.Tutorials, "exercises", "*", "README.md"))
	if err != nil {
		return err
	}
	slices.Sort(exercises)
	for _, disk := range exercises {
		name := filepath.Base(filepath.Dir(disk))
		data, err := os.ReadFile(disk)
		if err != nil {
			return err
		}
		l := &lesson{Name: name, File: "tutorials/exercises/" + name + "/README.md",
			Path: "course/exercises/" + name + ".html", body: string(data), Title: firstHeading(string(data), name)}
		s.exercises = append(s.exercises, l)
		s.routes[l.File] = l.Path
	}
	return nil
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func chapterNumber(name string) string {
	n, _, _ := strings.Cut(name, "-")
	return n
}

var h1 = regexp.MustCompile(`(?m)^#\s+(.+?)\s*#*\s*$`)

// firstHeading returns the text of the first "# " heading in markdown src.
func firstHeading(src, fallback string) string {
	if m := h1.FindStringSubmatch(src); m != nil {
		return m[1]
	}
	return fallback
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

// readLesson reads a lesson and its front matter.
func readLesson(disk string) (*lesson, error) {
	data, err := os.ReadFile(disk)
	if err != nil {
		return nil, err
	}
	fm, body, err := splitFrontMatter(string(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", disk, err)
	}
	l := &lesson{body: body}
	for key, v := range fm {
		switch key {
		case "title":
			l.Title = unquote(v)
		case "chapter":
			l.Chapter = unquote(v)
		case "minutes":
			if v != "" {
				if l.Minutes, err = strconv.Atoi(v); err != nil || l.Minutes < 0 {
					return nil, fmt.Errorf("%s: front matter minutes %q is not a whole number", disk, v)
				}
			}
		case "recipes":
			if l.Recipes, err = parseList(v); err != nil {
				return nil, fmt.Errorf("%s: front matter recipes: %w", disk, err)
			}
		}
	}
	if l.Title == "" {
		return nil, fmt.Errorf("%s: front matter has no title", disk)
	}
	return l, nil
}

// splitFrontMatter separates "---"-fenced "key: value" lines from the body.
func splitFrontMatter(src string) (map[string]string, string, error) {
	src = strings.ReplaceAll(src, "\r\n", "\n")
	if !strings.HasPrefix(src, "---\n") {
		return nil, "", fmt.Errorf("no front matter: the file must start with a \"---\" line")
	}
	head, body, ok := strings.Cut(src[4:], "\n---\n")
	if !ok {
		return nil, "", fmt.Errorf("front matter is not closed by a \"---\" line")
	}
	fm := map[string]string{}
	for i, line := range strings.Split(head, "\n") {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			return nil, "", fmt.Errorf("front matter line %d: %q is not \"key: value\"", i+2, line)
		}
		fm[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return fm, body, nil
}

// parseList reads a flow list such as "[hostname, byte-order]".
func parseList(v string) ([]string, error) {
	if v == "" || v == "[]" {
		return nil, nil
	}
	if !strings.HasPrefix(v, "[") || !strings.HasSuffix(v, "]") {
		return nil, fmt.Errorf("%q is not a [a, b, c] list", v)
	}
	var out []string
	for _, item := range strings.Split(v[1:len(v)-1], ",") {
		if item = unquote(strings.TrimSpace(item)); item != "" {
			out = append(out, item)
		}
	}
	return out, nil
}

func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		return v[1 : len(v)-1]
	}
	return v
}

// requirements turns a code cell's "sockbook": {"requires": [...]}
// into words for its badge.
func requirements(c *nbformat.Cell) []string {
	sb, _ := c.Metadata["sockbook"].(map[string]any)
	list, _ := sb["requires"].([]any)
	var out []string
	for _, r := range list {
		if s, ok := r.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
