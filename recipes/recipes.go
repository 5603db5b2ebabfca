// Package recipes is sockbook's table of contents: the 35 recipes of the
// original Python socket cheat sheet, each with a stable slug, its chapter,
// the package that implements it, and which of the four faces (library,
// notebook, site, course) claim it as done.
//
// The table lives in recipes.tsv beside this file and is embedded, so tools
// and tests never need anything outside the repository.
package recipes

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
)

//go:embed recipes.tsv
var table string

// A Face is one of the four forms every recipe takes.
type Face string

// The four faces, named as in the columns of recipes.tsv.
const (
	Library  Face = "library"
	Notebook Face = "notebook"
	Site     Face = "site"
	Course   Face = "course"
)

// Faces lists the faces in the order of the table's columns.
func Faces() []Face { return []Face{Library, Notebook, Site, Course} }

// A Recipe is one row of the table.
type Recipe struct {
	Slug    string // join key across all faces, e.g. "tcp-echo"
	Chapter string // e.g. "02-tcp"
	Title   string // the cheat sheet's heading
	Needs   string // what the machine must offer, "-" for nothing (see Requirements)
	Package string // folder of the implementing package, e.g. "pkg/tcpecho"
	Claimed map[Face]bool
}

var header = []string{"slug", "chapter", "title", "needs", "package", "library", "notebook", "site", "course"}

// All parses the embedded table and returns the recipes in cheat-sheet order.
func All() ([]Recipe, error) { return Parse(table) }

// Parse reads a table in the format of recipes.tsv: tab-separated, one header
// line, a face column holding "yes" when that face claims the recipe and "-"
// when it does not.
func Parse(text string) ([]Recipe, error) {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if len(lines) == 0 || lines[0] != strings.Join(header, "\t") {
		return nil, fmt.Errorf("recipes: header must be %q", strings.Join(header, "\t"))
	}
	var out []Recipe
	seen := map[string]bool{}
	for i, line := range lines[1:] {
		lineNo := i + 2
		f := strings.Split(line, "\t")
		if len(f) != len(header) {
			return nil, fmt.Errorf("recipes: line %d: %d fields, want %d", lineNo, len(f), len(header))
		}
		r := Recipe{Slug: f[0], Chapter: f[1], Title: f[2], Needs: f[3], Package: f[4], Claimed: map[Face]bool{}}
		if r.Slug == "" || seen[r.Slug] {
			return nil, fmt.Errorf("recipes: line %d: empty or repeated slug %q", lineNo, r.Slug)
		}
		seen[r.Slug] = true
		for j, face := range Faces() {
			switch v := f[5+j]; v {
			case "yes":
				r.Claimed[face] = true
			case "-":
			default:
				return nil, fmt.Errorf("recipes: line %d: %s column is %q, want \"yes\" or \"-\"", lineNo, face, v)
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// Requirements returns the requirement names r.Needs states, sorted: the
// words of Needs before its first ";" or "(" that are one of root, ipv6,
// linux or afalg (as internal/testenv and the notebooks' "requires" cell
// metadata spell them), or bsd for the kqueue family (BSD and macOS).
// "AF_ALG" is afalg and implies linux, "darwin" and "macOS" are bsd. What
// follows the first ";" or "(" explains and states no requirement.
func (r Recipe) Requirements() []string {
	head, _, _ := strings.Cut(r.Needs, ";")
	head, _, _ = strings.Cut(head, "(")
	set := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(head), func(c rune) bool {
		return !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_')
	}) {
		switch w {
		case "root", "ipv6", "linux":
			set[w] = true
		case "af_alg", "afalg":
			set["afalg"], set["linux"] = true, true
		case "bsd", "darwin", "macos":
			set["bsd"] = true
		}
	}
	out := make([]string, 0, len(set))
	for w := range set {
		out = append(out, w)
	}
	slices.Sort(out)
	return out
}

// Chapters returns the chapter names in order of first appearance.
func Chapters(rs []Recipe) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range rs {
		if !seen[r.Chapter] {
			seen[r.Chapter] = true
			out = append(out, r.Chapter)
		}
	}
	return out
}
