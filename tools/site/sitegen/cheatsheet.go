package sitegen

import (
	"html/template"
	"slices"
	"strings"

	"github.com/sockbook/sockbook/recipes"
)

// A sheetEntry is one recipe on the cheat sheet.
type sheetEntry struct {
	Slug, Title string
	Link        string // chapter section, "" when no notebook covers it
	Needs       []string
	Calls       []string
	Go, Python  template.HTML // highlighted; Go is "" when the recipe has no snippet
	Source      string        // repository path of the Go snippet
}

// A sheetChapter groups the cheat sheet by chapter.
type sheetChapter struct {
	Name, Number, Title, Link string
	Entries                   []sheetEntry
}

// cheatSheet renders the cheat sheet: every recipe of the table, by
// chapter, with its snippet from cfg.Sheet (package recipes/sheet): the
// Go function and the Python lines that make the same call.
func (s *site) cheatSheet(chapters []*chapter) (*page, error) {
	sns, err := recipes.ReadSheet(s.cfg.Sheet)
	if err != nil {
		return nil, err
	}
	bySlug := map[string]recipes.Snippet{}
	for _, sn := range sns {
		bySlug[sn.Slug] = sn
	}
	p := &page{Path: "cheatsheet.html", Title: "Cheat sheet", Kind: "cheatsheet"}
	var groups []sheetChapter
	for _, name := range recipes.Chapters(s.recipes) {
		ch := chapterNamed(chapters, name)
		g := sheetChapter{Name: name, Number: chapterNumber(name), Title: chapterTitle(name)}
		if ch != nil {
			g.Title, g.Link = ch.Title, ch.Path
		}
		p.Headings = append(p.Headings, heading{Level: 2, ID: "chapter-" + name, Text: g.Title})
		for _, r := range s.recipes {
			if r.Chapter != name {
				continue
			}
			e := sheetEntry{Slug: r.Slug, Title: r.Title, Needs: needLabels(r.Requirements())}
			if sn, ok := bySlug[r.Slug]; ok {
				var goCode, py strings.Builder
				s.highlightWrap(&goCode, "go", sn.Go, sheetWrapColumns)
				s.highlightWrap(&py, "python", strings.TrimRight(sn.Python, "\n"), sheetWrapColumns)
				e.Go, e.Python, e.Calls = template.HTML(goCode.String()), template.HTML(py.String()), sn.Calls
				e.Source = "recipes/sheet/" + sn.File
			}
			if ch != nil && slices.ContainsFunc(ch.Recipes, func(x recipeRef) bool { return x.Slug == r.Slug }) {
				e.Link = ch.Path + "#" + r.Slug
			}
			g.Entries = append(g.Entries, e)
		}
		groups = append(groups, g)
	}
	p.data = groups
	p.Source = "recipes/sheet"
	return p, nil
}

// needLabels names requirements as the badges of code cells do.
func needLabels(reqs []string) []string {
	var out []string
	for _, r := range reqs {
		out = append(out, needLabel(r))
	}
	return out
}
