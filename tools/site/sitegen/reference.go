package sitegen

import "html/template"

// A refChapter is one chapter's Python → Go tables.
type refChapter struct {
	ID, Title, Link string
	Tables          []template.HTML
}

// reference gathers the chapters' Python → Go tables on one page.
func reference(chapters []*chapter) *page {
	p := &page{Path: "reference.html", Title: "Python → Go reference", Kind: "reference"}
	var refs []refChapter
	for _, ch := range chapters {
		if len(ch.tables) > 0 {
			id := "ref-" + ch.Name
			refs = append(refs, refChapter{ID: id, Title: ch.Title, Link: ch.Path, Tables: ch.tables})
			p.Headings = append(p.Headings, heading{Level: 2, ID: id, Text: ch.Title})
		}
	}
	p.data = refs
	return p
}
