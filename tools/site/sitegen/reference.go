package sitegen

import "html/template"

// A refChapter is one chapter's Python → Go tables.
type refChapter struct {
	Title, Link string
	Tables      []template.HTML
}

// reference gathers the chapters' Python → Go tables on one page.
func reference(chapters []*chapter) *page {
	p := &page{Path: "reference.html", Title: "Python → Go reference", Kind: "reference"}
	var refs []refChapter
	for _, ch := range chapters {
		if len(ch.tables) > 0 {
			refs = append(refs, refChapter{Title: ch.Title, Link: ch.Path, Tables: ch.tables})
		}
	}
	p.data = refs
	return p
}
