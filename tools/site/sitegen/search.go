package sitegen

import (
	"bytes"
	"encoding/json"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// searchIndexFile is the search index in the built site: a script, so it
// loads from file:// where fetch cannot read files.
const searchIndexFile = "search-index.js"

const searchIndexPrefix = "window.sockbookSearch="

// A searchEntry is one section of the site as the search box sees it. It
// is written as a JSON array, in the order of its fields, which site.js
// reads by position:
//
//	[url, title, page title, sub-headings, introduced identifiers, code identifiers, text]
//
// Ranking (site.js) weighs a match in the title most, then in a
// sub-heading, then in the identifiers the section introduces, then in
// its other code identifiers, then in its text.
type searchEntry struct {
	URL, Title, Page string
	Headings         []string
	Intro            []string // identifiers whose first use in code, in reading order, is here
	Code             []string // other identifiers of its code, inline code and Python names
	text             strings.Builder
	ids              map[string]bool
}

func (e *searchEntry) MarshalJSON() ([]byte, error) {
	return json.Marshal([]string{e.URL, e.Title, e.Page, strings.Join(e.Headings, " · "),
		strings.Join(e.Intro, " "), strings.Join(e.Code, " "), strings.TrimSpace(e.text.String())})
}

// addText appends prose, with one space between pieces.
func (e *searchEntry) addText(s string) {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return
	}
	if e.text.Len() > 0 {
		e.text.WriteByte(' ')
	}
	e.text.WriteString(s)
}

// addCode records the identifiers of a piece of code.
func (e *searchEntry) addCode(code string) {
	for _, id := range identifiers(code) {
		if !e.ids[id] {
			e.ids[id] = true
			e.Code = append(e.Code, id)
		}
	}
}

// maxOutput is how much of one cell output the index keeps: enough for
// the names and numbers a reader would look for, not a whole hex dump.
const maxOutput = 240

var stringLit = regexp.MustCompile(`"(?:[^"\\\n]|\\.)*"|` + "`[^`]*`")

var lineComment = regexp.MustCompile(`//[^\n]*|/\*(?s:.*?)\*/|#[^\n]*`)

var identRE = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*`)

// commonWords are identifiers too frequent in Go code to tell sections apart.
var commonWords = map[string]bool{
	"break": true, "case": true, "chan": true, "const": true, "continue": true, "default": true, "defer": true,
	"else": true, "fallthrough": true, "for": true, "func": true, "go": true, "goto": true, "if": true,
	"import": true, "interface": true, "map": true, "package": true, "range": true, "return": true,
	"select": true, "struct": true, "switch": true, "type": true, "var": true, "err": true, "nil": true,
	"true": true, "false": true, "string": true, "int": true, "byte": true, "error": true, "make": true,
	"len": true, "append": true, "panic": true, "fmt.Println": true, "fmt.Printf": true, "main": true,
}

// identifiers lists the distinct identifiers of code (dotted names such
// as net.Listen kept whole), without keywords and one-letter names.
func identifiers(code string) []string {
	var out []string
	seen := map[string]bool{}
	for _, id := range identRE.FindAllString(code, -1) {
		if len(id) < 2 || commonWords[id] || seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, id)
	}
	return out
}

// genericHeadings returns the h2 headings shared by three pages or more
// ("Pitfalls", "Quiz", "Next"): they name a part of every chapter or
// lesson, not a subject, so their text is searched as part of the page.
func genericHeadings(pages []*page) map[string]bool {
	count := map[string]int{}
	for _, p := range pages {
		seen := map[string]bool{}
		for _, h := range p.Headings {
			if h.Level == 2 && !seen[h.Text] {
				seen[h.Text] = true
				count[h.Text]++
			}
		}
	}
	generic := map[string]bool{}
	for text, n := range count {
		if n >= 3 {
			generic[text] = true
		}
	}
	return generic
}

// searchIndex builds the index: one entry per page, holding what comes
// before its first section and its generic sections, and one per h2
// section, holding its h3s and below. The cheat sheet, the reference and
// the book repeat the chapters, so only their titles are indexed. Python
// names of the chapters' Python → Go tables are added to every section
// whose code uses a Go name of the same row.
func searchIndex(pages []*page, python map[string][]string) []*searchEntry {
	generic := genericHeadings(pages)
	var all []*searchEntry
	firstUse := map[string]*searchEntry{}
	for _, p := range pages {
		pageEntry := &searchEntry{URL: p.Path, Title: p.Title, ids: map[string]bool{}}
		if p.Kind == "home" {
			pageEntry.URL = "index.html"
		}
		all = append(all, pageEntry)
		if p.Kind == "cheatsheet" || p.Kind == "reference" || p.Kind == "book" {
			continue
		}
		cur := pageEntry
		var walk func(n *html.Node)
		walk = func(n *html.Node) {
			switch n.Type {
			case html.TextNode:
				cur.addText(n.Data)
				return
			case html.ElementNode:
			default:
				return
			}
			switch n.Data {
			case "h1":
				return
			case "h2":
				text := strings.TrimSpace(nodeText(n))
				id := attr(n, "id")
				if generic[text] || id == "" {
					cur = pageEntry
					return
				}
				cur = &searchEntry{URL: p.Path + "#" + id, Title: text, Page: p.Title, ids: map[string]bool{}}
				all = append(all, cur)
				return
			case "h3", "h4", "h5", "h6":
				cur.Headings = append(cur.Headings, strings.TrimSpace(nodeText(n)))
				return
			case "script", "style", "img", "svg", "button", "input":
				return
			case "p":
				if hasClass(n, "badges") {
					return
				}
			case "code":
				t := nodeText(n)
				cur.addText(t)
				cur.addCode(t)
				return
			case "div":
				switch {
				case hasClass(n, "code"):
					// Import paths and other strings are not names, and
					// the words of comments are not either, except the
					// dotted and snake_case ones (socket.gethostname).
					code := stringLit.ReplaceAllString(nodeText(n), " ")
					var names []string
					for _, c := range lineComment.FindAllString(code, -1) {
						for _, id := range identifiers(c) {
							if strings.ContainsAny(id, "._") {
								names = append(names, id)
							}
						}
					}
					code = lineComment.ReplaceAllString(code, " ") + " " + strings.Join(names, " ")
					if p.Kind == "chapter" {
						for _, id := range identifiers(code) {
							if firstUse[id] == nil {
								firstUse[id] = cur
							}
						}
					}
					cur.addCode(code)
					return
				case hasClass(n, "output"):
					var pre strings.Builder // the text, not its "output" label
					for c := range n.Descendants() {
						if c.Type == html.ElementNode && c.Data == "pre" {
							pre.WriteString(nodeText(c))
						}
					}
					out := strings.Join(strings.Fields(pre.String()), " ")
					if len(out) > maxOutput {
						out = out[:maxOutput]
						if i := strings.LastIndexByte(out, ' '); i > 0 {
							out = out[:i]
						}
					}
					cur.addText(out)
					return
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		bodies := []string{string(p.Lead), string(p.Body)}
		if b, ok := p.data.(benchPage); ok {
			for _, sec := range b.Sections {
				bodies = append(bodies, string(sec.Body))
			}
		}
		for _, body := range bodies {
			nodes, err := html.ParseFragment(strings.NewReader(body), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
			if err != nil {
				continue // the page was rendered by this package; it parses
			}
			for _, n := range nodes {
				walk(n)
			}
		}
		for _, h := range p.Headings {
			if h.Keywords != "" {
				for _, e := range all {
					if e.URL == p.Path+"#"+h.ID {
						e.addCode(h.Keywords)
					}
				}
			}
		}
	}
	for id, e := range firstUse {
		e.Intro = append(e.Intro, id)
	}
	for _, e := range all {
		slices.Sort(e.Intro)
		for _, id := range e.Intro {
			delete(e.ids, id)
		}
		e.Code = slices.DeleteFunc(e.Code, func(id string) bool { return !e.ids[id] })
		var py []string
		for _, id := range append(slices.Clone(e.Intro), e.Code...) {
			py = append(py, python[id]...)
		}
		for _, name := range py {
			if !e.ids[name] {
				e.ids[name] = true
				e.Code = append(e.Code, name)
			}
		}
	}
	return all
}

// pythonNames maps each Go identifier of the chapters' Python → Go tables
// to the Python names of its row.
func pythonNames(chapters []*chapter) map[string][]string {
	out := map[string][]string{}
	for _, ch := range chapters {
		for _, t := range ch.tables {
			nodes, err := html.ParseFragment(strings.NewReader(string(t)), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div})
			if err != nil {
				continue
			}
			for _, n := range nodes {
				for row := range n.Descendants() {
					if row.Type != html.ElementNode || row.Data != "tr" {
						continue
					}
					var cells []*html.Node
					for c := row.FirstChild; c != nil; c = c.NextSibling {
						if c.Type == html.ElementNode && c.Data == "td" {
							cells = append(cells, c)
						}
					}
					if len(cells) < 2 {
						continue
					}
					py := identifiers(codeText(cells[0]))
					for _, c := range cells[1:] {
						for _, id := range identifiers(codeText(c)) {
							for _, name := range py {
								if !slices.Contains(out[id], name) {
									out[id] = append(out[id], name)
								}
							}
						}
					}
				}
			}
		}
	}
	return out
}

// codeText joins the text of the <code> elements under n.
func codeText(n *html.Node) string {
	var b strings.Builder
	for c := range n.Descendants() {
		if c.Type == html.ElementNode && c.Data == "code" {
			b.WriteString(nodeText(c))
			b.WriteByte(' ')
		}
	}
	return b.String()
}

func nodeText(n *html.Node) string {
	var b strings.Builder
	for c := range n.Descendants() {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *html.Node, class string) bool {
	return slices.Contains(strings.Fields(attr(n, "class")), class)
}

// encodeSearchIndex writes the index as the script site.js loads.
func encodeSearchIndex(entries []*searchEntry) ([]byte, error) {
	js, err := json.Marshal(entries)
	if err != nil {
		return nil, err
	}
	return append(append([]byte(searchIndexPrefix), js...), ";\n"...), nil
}

// indexTexts returns the strings of a built search index that the search
// box shows as text: titles, the pages they are on, headings, snippets.
func indexTexts(data []byte) []string {
	data = bytes.TrimSuffix(bytes.TrimSpace(bytes.TrimPrefix(data, []byte(searchIndexPrefix))), []byte(";"))
	var entries [][]string
	if json.Unmarshal(data, &entries) != nil {
		return []string{"unreadable search index"}
	}
	var out []string
	for _, e := range entries {
		if len(e) == 7 {
			out = append(out, e[1], e[2], e[3], e[6])
		}
	}
	return out
}
