package sitegen

import (
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// A lessonPage is one markdown page of the course: a lesson or an exercise.
type lessonPage struct {
	Name    string // "01-addresses"
	File    string // repository path
	Path    string // site path
	Title   string
	Chapter string
	Recipes []string
	Minutes int
	// TestDir is an exercise's folder in the repository, where its tests
	// run; it comes from the folder's path, so every exercise page can say
	// how to run them whatever its README says.
	TestDir string
	// Filled in when rendered: the chapter page and the recipe sections
	// the lesson covers (Link is empty where no notebook has the section).
	ChapterPage *chapter
	Covers      []sheetEntry
	body        string
	bodyLine    int // the line of File body starts on
	page        *page
}

// A course is the rendered course: the syllabus, the lessons and the
// exercise pages.
type course struct {
	index     *page
	lessons   []*lessonPage
	exercises []*lessonPage
}

// renderCourse renders the syllabus, the lessons and the exercise pages.
func (s *site) renderCourse(lessons, exercises []*lessonPage, chapters []*chapter) (*course, error) {
	index, err := s.courseIndex()
	if err != nil {
		return nil, err
	}
	c := &course{index: index}
	for _, l := range lessons {
		r, err := s.renderLesson(l, "lesson", chapters)
		if err != nil {
			return nil, err
		}
		c.lessons = append(c.lessons, r)
	}
	for _, l := range exercises {
		r, err := s.renderLesson(l, "exercise", chapters)
		if err != nil {
			return nil, err
		}
		c.exercises = append(c.exercises, r)
	}
	return c, nil
}

// renderLesson returns l rendered as a page of kind "lesson" or
// "exercise", with the chapter and recipe sections it covers.
func (s *site) renderLesson(src *lessonPage, kind string, chapters []*chapter) (*lessonPage, error) {
	l := *src
	// Titles are markdown (an exercise's is its "# " line); every place
	// that shows one escapes it, so it is kept as plain text.
	l.Title = s.plainInline(l.Title)
	d := &doc{src: l.File, page: l.Path, line: max(l.bodyLine, 1)}
	out, err := s.render(d, l.body, idSet{})
	if err != nil {
		return nil, err
	}
	l.ChapterPage = chapterNamed(chapters, l.Chapter)
	for _, slug := range l.Recipes {
		r, ok := s.bySlug[slug]
		if !ok {
			return nil, fmt.Errorf("%s: front matter names recipe %q, which is not in recipes.tsv", l.File, slug)
		}
		e := sheetEntry{Slug: slug, Title: r.Title}
		if ch := chapterNamed(chapters, r.Chapter); ch != nil && slices.ContainsFunc(ch.Recipes, func(x recipeRef) bool { return x.Slug == slug }) {
			e.Link = ch.Path + "#" + slug
		}
		l.Covers = append(l.Covers, e)
	}
	l.page = &page{Path: l.Path, Title: l.Title, Kind: kind, Body: out, Headings: d.headings, Lesson: &l}
	if kind == "lesson" {
		l.page.Lead, l.page.Body = splitLead(out)
	} else {
		l.TestDir = path.Dir(l.File)
	}
	return &l, nil
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

var h1 = regexp.MustCompile(`(?m)^#\s+(.+?)\s*#*\s*$`)

// firstHeading returns the text of the first "# " heading in markdown src.
func firstHeading(src, fallback string) string {
	if m := h1.FindStringSubmatch(src); m != nil {
		return m[1]
	}
	return fallback
}

// order returns the course's pages as it is meant to be followed: the
// syllabus, then each lesson followed by its exercises (an exercise
// belongs to the lesson whose number its folder starts with, "02-…"),
// then exercises no lesson claims.
func (c *course) order() []*lessonPage {
	var out []*lessonPage
	used := map[*lessonPage]bool{}
	for _, l := range c.lessons {
		out = append(out, l)
		n := chapterNumber(l.Name)
		for _, e := range c.exercises {
			if !used[e] && chapterNumber(e.Name) == n {
				used[e] = true
				out = append(out, e)
			}
		}
	}
	for _, e := range c.exercises {
		if !used[e] {
			out = append(out, e)
		}
	}
	return out
}
