package sitegen

import (
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/sockbook/sockbook/recipes"
	"golang.org/x/net/html"
)

// A PageInfo is what CheckLinks and Coverage read from one built page.
type PageInfo struct {
	IDs     map[string]bool // every id attribute on the page
	Missing map[string]bool // ids of elements marked data-status="missing"
	Links   []string        // href and src values, as written
}

// ReadPage parses the HTML page at name.
func ReadPage(name string) (*PageInfo, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	root, err := html.Parse(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	p := &PageInfo{IDs: map[string]bool{}, Missing: map[string]bool{}}
	for n := range root.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		var id string
		missing := false
		for _, a := range n.Attr {
			switch a.Key {
			case "id":
				id = a.Val
				p.IDs[a.Val] = true
			case "href", "src":
				p.Links = append(p.Links, a.Val)
			case "data-status":
				missing = a.Val == "missing"
			}
		}
		if missing && id != "" {
			p.Missing[id] = true
		}
	}
	return p, nil
}

// CheckLinks reads every HTML page under dir and returns one line per
// internal link whose file or #anchor does not exist ("page: href: why").
// Links with a scheme (https:, data:, mailto:) are not followed. The 404
// page is skipped: its links are rooted at the published path.
func CheckLinks(dir string) ([]string, error) {
	pages := map[string]*PageInfo{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		info, err := ReadPage(p)
		if err != nil {
			return err
		}
		pages[filepath.ToSlash(rel)] = info
		return nil
	})
	if err != nil {
		return nil, err
	}
	var broken []string
	names := make([]string, 0, len(pages))
	for name := range pages {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if name == "404.html" {
			continue
		}
		for _, link := range pages[name].Links {
			if why := checkLink(dir, name, link, pages); why != "" {
				broken = append(broken, fmt.Sprintf("%s: %s: %s", name, link, why))
			}
		}
	}
	return broken, nil
}

func checkLink(dir, page, link string, pages map[string]*PageInfo) string {
	u, err := url.Parse(link)
	if err != nil {
		return err.Error()
	}
	if u.Scheme != "" || u.Host != "" {
		return ""
	}
	if strings.HasPrefix(u.Path, "/") {
		return "absolute path: breaks under a sub-path and from file://"
	}
	target := page
	if u.Path != "" {
		target = path.Clean(path.Join(path.Dir(page), u.Path))
		if strings.HasPrefix(target, "../") {
			return "leaves the site"
		}
		st, err := os.Stat(filepath.Join(dir, filepath.FromSlash(target)))
		if err != nil {
			return "no such file"
		}
		if st.IsDir() {
			return "a folder: from file:// it shows no index.html"
		}
	}
	if u.Fragment == "" {
		return ""
	}
	info, ok := pages[target]
	if !ok {
		return "anchor on a file that is not a page"
	}
	if !info.IDs[u.Fragment] {
		return fmt.Sprintf("no id %q on %s", u.Fragment, target)
	}
	return ""
}

// Coverage checks, in the site built in dir, every recipe of rs that is
// claimed for the site face (see SiteFace). It returns one line per
// failure.
func Coverage(dir string, rs []recipes.Recipe) ([]string, error) {
	missing, err := SiteFace(dir, rs)
	if err != nil {
		return nil, err
	}
	var problems []string
	for _, r := range rs {
		if !r.Claimed[recipes.Site] {
			continue
		}
		for _, m := range missing[r.Slug] {
			problems = append(problems, fmt.Sprintf("recipe %s is claimed for the site, but %s", r.Slug, m))
		}
	}
	return problems, nil
}

// SiteFace reads the site built in dir and says, for every recipe of rs,
// what its site face lacks: its chapter page must hold an element with
// id="<slug>", and the cheat sheet an entry with that id that is not
// marked as missing. A recipe whose face is complete has no entry.
func SiteFace(dir string, rs []recipes.Recipe) (map[string][]string, error) {
	sheet, err := ReadPage(filepath.Join(dir, "cheatsheet.html"))
	if err != nil {
		return nil, err
	}
	chapters := map[string]*PageInfo{}
	missing := map[string][]string{}
	for _, r := range rs {
		ch, ok := chapters[r.Chapter]
		if !ok {
			ch, err = ReadPage(filepath.Join(dir, "chapters", r.Chapter+".html"))
			if err != nil && !os.IsNotExist(err) {
				return nil, err
			}
			chapters[r.Chapter] = ch
		}
		switch {
		case ch == nil:
			missing[r.Slug] = append(missing[r.Slug], fmt.Sprintf("chapter page chapters/%s.html does not exist (no notebooks/%s.ipynb)", r.Chapter, r.Chapter))
		case !ch.IDs[r.Slug]:
			missing[r.Slug] = append(missing[r.Slug], fmt.Sprintf("chapters/%s.html has no id=%q (no notebook cell carries \"sockbook\": {\"recipe\": %q})", r.Chapter, r.Slug, r.Slug))
		}
		if !sheet.IDs[r.Slug] || sheet.Missing[r.Slug] {
			missing[r.Slug] = append(missing[r.Slug], "the cheat sheet has no code for it")
		}
	}
	return missing, nil
}

// DoubleEscapes reads every HTML page under dir and the search index, and
// returns one line per text that still holds an HTML entity once parsed:
// text escaped twice, which a reader sees as "&ldquo;". Code (<pre>,
// <code>) may show entities on purpose and is not read.
func DoubleEscapes(dir string) ([]string, error) {
	var found []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		switch {
		case strings.HasSuffix(p, ".html"):
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			root, err := html.Parse(f)
			if err != nil {
				return fmt.Errorf("%s: %w", rel, err)
			}
			for _, s := range pageTexts(root) {
				if hasEntity(s) {
					found = append(found, fmt.Sprintf("%s: %q", rel, s))
				}
			}
		case rel == searchIndexFile:
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			for _, s := range indexTexts(data) {
				if hasEntity(s) {
					found = append(found, fmt.Sprintf("%s: %q", rel, s))
				}
			}
		}
		return nil
	})
	return found, err
}

// hasEntity reports whether s, already unescaped once, still holds a
// character reference that unescaping again would change.
func hasEntity(s string) bool {
	return strings.Contains(s, "&") && html.UnescapeString(s) != s
}

// pageTexts returns the text nodes of a page outside code, scripts and
// styles, and the attributes a reader or a screen reader is shown.
func pageTexts(root *html.Node) []string {
	var out []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			out = append(out, n.Data)
		case html.ElementNode:
			switch n.Data {
			case "pre", "code", "script", "style":
				return
			}
			for _, a := range n.Attr {
				switch a.Key {
				case "aria-label", "title", "alt", "placeholder", "content":
					out = append(out, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	return out
}
