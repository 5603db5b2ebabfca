package sitegen

import (
	"html/template"
	"slices"

	"github.com/sockbook/sockbook/recipes"
)

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

// cheatSheet renders the one-page cheat sheet: every recipe of the
// table, by chapter, with the key lines of its notebook section.
func (s *site) cheatSheet(chapters []*chapter) *page {
	p := &page{Path: "cheatsheet.html", Title: "Cheat sheet", Kind: "cheatsheet"}
	var groups []sheetChapter
	for _, name := range recipes.Chapters(s.recipes) {
		ch := chapterNamed(chapters, name)
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
			g.Entries = append(g.Entries, e)
		}
		groups = append(groups, g)
	}
	p.data = groups
	return p
}
