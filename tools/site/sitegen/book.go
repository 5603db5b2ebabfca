package sitegen

import (
	"fmt"
	"html/template"
	"path"
	"regexp"
	"strings"
)

// bookPath is the site path of the page that holds the whole book.
const bookPath = "book.html"

// A bookChapter is one chapter's body as the book page holds it.
type bookChapter struct {
	ID, Title, Link string
	Body            template.HTML
}

var (
	idAttr   = regexp.MustCompile(` id="([^"]+)"`)
	linkAttr = regexp.MustCompile(` (href|src)="([^"]*)"`)
)

// book puts every chapter on one page, in course order, outputs and all,
// for printing to PDF. The chapter bodies are the ones rendered for
// chapters/, rebased: links between chapters stay on the page, other
// relative links gain the chapters/ folder, and an id an earlier chapter
// already uses gets its chapter's name in front, with the links to it.
func book(chapters []*chapter) *page {
	p := &page{Path: bookPath, Title: "The whole book", Kind: "book"}
	inBook := map[string]string{} // chapter file name → its section id
	for _, ch := range chapters {
		inBook[path.Base(ch.Path)] = "chapter-" + ch.Name
	}
	used := map[string]bool{}
	for _, id := range inBook {
		used[id] = true
	}
	ids := make([]map[string]string, len(chapters)) // per chapter: id in its page → id in the book
	for i, ch := range chapters {
		ids[i] = map[string]string{}
		for _, m := range idAttr.FindAllStringSubmatch(string(ch.page.Body), -1) {
			id := m[1]
			if used[id] {
				id = ch.Name + "-" + id
			}
			used[id], ids[i][m[1]] = true, id
		}
	}
	byFile := map[string]map[string]string{}
	for i, ch := range chapters {
		byFile[path.Base(ch.Path)] = ids[i]
	}
	var out []bookChapter
	for i, ch := range chapters {
		body := idAttr.ReplaceAllStringFunc(string(ch.page.Body), func(a string) string {
			return fmt.Sprintf(` id="%s"`, ids[i][idAttr.FindStringSubmatch(a)[1]])
		})
		body = linkAttr.ReplaceAllStringFunc(body, func(a string) string {
			m := linkAttr.FindStringSubmatch(a)
			return fmt.Sprintf(` %s="%s"`, m[1], rebase(m[2], ids[i], byFile, inBook))
		})
		id := inBook[path.Base(ch.Path)]
		out = append(out, bookChapter{ID: id, Title: ch.Title, Link: ch.Path, Body: template.HTML(body)})
		p.Headings = append(p.Headings, heading{Level: 2, ID: id, Text: ch.Title})
	}
	p.data = out
	return p
}

// rebase rewrites a URL of a chapter page for the book page: a fragment
// of this chapter or a link to a chapter in the book becomes a fragment
// of the book, another relative URL is resolved from chapters/, and any
// other URL is left alone.
func rebase(u string, own map[string]string, byFile map[string]map[string]string, inBook map[string]string) string {
	switch {
	case strings.HasPrefix(u, "#"):
		if id, ok := own[u[1:]]; ok {
			return "#" + id
		}
		return u
	case u == "" || strings.Contains(u, ":") || strings.HasPrefix(u, "/"):
		return u
	}
	file, frag, hasFrag := strings.Cut(u, "#")
	if section, ok := inBook[file]; ok && !strings.Contains(file, "/") {
		if !hasFrag {
			return "#" + section
		}
		if id, ok := byFile[file][frag]; ok {
			return "#" + id
		}
	}
	return path.Join("chapters", u)
}
