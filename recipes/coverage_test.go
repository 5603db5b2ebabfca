package recipes_test

import (
	"fmt"
	"go/ast"
	"go/build"
	"go/doc"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"text/tabwriter"

	"github.com/sockbook/sockbook/recipes"
	"github.com/sockbook/sockbook/tools/nbformat"
	"github.com/sockbook/sockbook/tools/site/sitegen"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tableHeader is recipes.tsv's header line.
const tableHeader = "slug\tchapter\ttitle\tneeds\tpackage\tlibrary\tnotebook\tsite\tcourse\n"

var recipeLine = regexp.MustCompile(`(?m)^Recipe: (\S+)$`)

// An example is a runnable Example that carries a "Recipe: <slug>" line.
type example struct {
	dir  string // folder relative to the repository, "pkg/tcpecho"
	file string // base name of its _test.go file
	here bool   // its file builds for this machine's GOOS and GOARCH, so go test runs it here
	os   string // the OS family its file is limited to, "linux" or "bsd"; "" when it builds everywhere
}

// osFamilies are the systems sockbook's code is built and vetted for, by
// the requirement name that stands for each.
var osFamilies = map[string][]string{"linux": {"linux"}, "bsd": {"darwin", "freebsd"}}

// hereOS is the requirement name of this machine's OS family.
func hereOS() string {
	if runtime.GOOS == "linux" {
		return "linux"
	}
	return "bsd"
}

// libraryExamples finds every Example function under root whose doc comment
// carries a "Recipe: <slug>" line, and says where it builds.
func libraryExamples(t *testing.T, repo, root string) map[string][]example {
	t.Helper()
	found := map[string][]example{}
	err := filepath.WalkDir(filepath.Join(repo, root), func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		entries, err := os.ReadDir(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(repo, path)
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), "_test.go") {
				continue
			}
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, filepath.Join(path, e.Name()), nil, parser.ParseComments)
			if err != nil {
				return err
			}
			ex := example{dir: filepath.ToSlash(rel), file: e.Name()}
			if ex.here, err = build.Default.MatchFile(path, e.Name()); err != nil {
				return err
			}
			if ex.os, err = osLimit(path, e.Name()); err != nil {
				return err
			}
			for _, x := range doc.Examples([]*ast.File{f}...) {
				m := recipeLine.FindStringSubmatch(x.Doc)
				if m == nil {
					continue
				}
				if x.Output == "" && !x.EmptyOutput {
					t.Errorf("%s/%s: Example%s (recipe %s) has no // Output: comment, so go test never runs it", ex.dir, ex.file, x.Name, m[1])
					continue
				}
				found[m[1]] = append(found[m[1]], ex)
			}
		}
		return nil
	})
	require.NoError(t, err)
	return found
}

// osLimit returns the OS family a file builds for, by its name (_linux)
// or its //go:build line, or "" when it builds for every family.
func osLimit(dir, name string) (string, error) {
	var in []string
	for family, gooses := range osFamilies {
		for _, goos := range gooses {
			ctx := build.Default
			ctx.GOOS = goos
			ok, err := ctx.MatchFile(dir, name)
			if err != nil {
				return "", err
			}
			if ok {
				in = append(in, family)
				break
			}
		}
	}
	if len(in) == 1 {
		return in[0], nil
	}
	return "", nil
}

// A section is a recipe's section of a notebook.
type section struct {
	notebook string   // file name under notebooks/
	outputs  bool     // a code cell of the section has stored output
	requires []string // the "requires" metadata of its key cell (the one the cheat sheet shows)
}

// notebookRecipes maps each recipe slug to its notebook section: from the
// "## " heading cell carrying "sockbook": {"recipe": "<slug>"} to the next
// heading of level one or two.
func notebookRecipes(t *testing.T, repo string) map[string]section {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(repo, "notebooks", "*.ipynb"))
	require.NoError(t, err)
	found := map[string]section{}
	for _, p := range paths {
		nb, err := nbformat.ReadFile(p)
		require.NoError(t, err)
		slug := ""
		var key *nbformat.Cell
		flush := func() {
			if slug == "" {
				return
			}
			s := found[slug]
			if key != nil {
				s.requires = cellRequires(key)
			}
			found[slug] = s
		}
		for i, c := range nb.Cells {
			if r := c.Recipe(); r != "" {
				if c.Type != "markdown" || !strings.HasPrefix(c.Source, "## ") {
					t.Errorf("%s cell %d: recipe %s must be carried by its section's \"## \" heading cell", p, i, r)
					continue
				}
				flush()
				if prev, ok := found[r]; ok {
					t.Errorf("recipe %s has sections in both %s and %s", r, prev.notebook, filepath.Base(p))
				}
				slug, key = r, nil
				found[slug] = section{notebook: filepath.Base(p)}
				continue
			}
			if c.Type == "markdown" && (strings.HasPrefix(c.Source, "# ") || strings.HasPrefix(c.Source, "## ")) {
				flush()
				slug, key = "", nil
				continue
			}
			if slug == "" || c.Type != "code" {
				continue
			}
			if key == nil || c.HasTag("cheatsheet") && !key.HasTag("cheatsheet") {
				key = c
			}
			if hasOutput(c) {
				s := found[slug]
				s.outputs = true
				found[slug] = s
			}
		}
		flush()
	}
	return found
}

// hasOutput reports whether code cell c has a stored output with content.
func hasOutput(c *nbformat.Cell) bool {
	for _, o := range c.Outputs {
		if strings.TrimSpace(o.Text) != "" || len(o.Data) > 0 || o.Type == "error" {
			return true
		}
	}
	return false
}

// cellRequires reads a cell's "sockbook": {"requires": [...]}, with afalg
// implying linux as it does in recipes.Recipe.Requirements.
func cellRequires(c *nbformat.Cell) []string {
	out := c.Requires()
	if slices.Contains(out, "afalg") {
		out = append(out, "linux")
	}
	return out
}

// TestCoverage prints which faces of each recipe are present and fails
// where a face claimed as done is not. Each face is judged by what runs or
// is built: an Example with output whose file builds here, a notebook
// section with a code cell holding stored output, the recipe's id on its
// chapter page and cheat sheet in a site built for the test, a lesson
// listing it. The needs column is checked against the faces' requirement
// metadata (see checkNeeds).
func TestCoverage(t *testing.T) {
	rs, err := recipes.All()
	require.NoError(t, err)
	require.Len(t, rs, 35, "the cheat sheet has 35 recipes")

	examples := libraryExamples(t, "..", "pkg")
	sections := notebookRecipes(t, "..")
	out := t.TempDir()
	_, err = sitegen.Build(sitegen.Config{Root: "..", Out: out})
	require.NoError(t, err)
	siteMissing, err := sitegen.SiteFace(out, rs)
	require.NoError(t, err)
	courseHas := map[string]bool{}
	for _, l := range readLessons(t) {
		for _, slug := range l.Recipes {
			courseHas[slug] = true
		}
	}
	known := map[string]bool{}

	var sb, notes strings.Builder
	w := tabwriter.NewWriter(&sb, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "slug\tchapter\tpackage\tlibrary\tnotebook\tsite\tcourse")
	for _, r := range rs {
		known[r.Slug] = true
		runHere := slices.ContainsFunc(examples[r.Slug], func(e example) bool { return e.here })
		lib := mark(r.Claimed[recipes.Library], runHere)
		if !runHere && len(examples[r.Slug]) > 0 {
			lib = "not here" // its Examples build for another OS only
			fmt.Fprintf(&notes, "%s: its Examples build only for another OS, so go test does not run them here\n", r.Slug)
		} else if r.Claimed[recipes.Library] && !runHere {
			t.Errorf("recipe %s is claimed for the library but no Example preceded by // Recipe: %s builds here under pkg/", r.Slug, r.Slug)
		}
		for _, e := range examples[r.Slug] {
			if e.dir != r.Package {
				t.Errorf("recipe %s: Example found in %s, but the table says %s", r.Slug, e.dir, r.Package)
			}
		}

		sec, inNotebook := sections[r.Slug]
		nbDone := inNotebook && sec.outputs
		switch {
		case r.Claimed[recipes.Notebook] && !inNotebook:
			t.Errorf("recipe %s is claimed for the notebook face but no notebook section carries it", r.Slug)
		case r.Claimed[recipes.Notebook] && !sec.outputs:
			t.Errorf("recipe %s is claimed for the notebook face but no code cell of its section in %s has stored output", r.Slug, sec.notebook)
		}
		if inNotebook && sec.notebook != r.Chapter+".ipynb" {
			t.Errorf("recipe %s is in notebooks/%s, but its chapter is %s", r.Slug, sec.notebook, r.Chapter)
		}

		if r.Claimed[recipes.Site] {
			for _, m := range siteMissing[r.Slug] {
				t.Errorf("recipe %s is claimed for the site, but %s", r.Slug, m)
			}
		}
		if r.Claimed[recipes.Course] && !courseHas[r.Slug] {
			t.Errorf("recipe %s is claimed for the course but no tutorials/lessons/*.md lists it", r.Slug)
		}

		for _, p := range checkNeeds(r, examples[r.Slug], sec, inNotebook) {
			t.Error(p)
		}
		for _, req := range r.Requirements() {
			if _, isOS := osFamilies[req]; isOS && req != hereOS() {
				fmt.Fprintf(&notes, "%s: %s\n", r.Slug, r.Needs)
			}
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Slug, r.Chapter, r.Package, lib,
			mark(r.Claimed[recipes.Notebook], nbDone), mark(r.Claimed[recipes.Site], len(siteMissing[r.Slug]) == 0),
			mark(r.Claimed[recipes.Course], courseHas[r.Slug]))
	}
	w.Flush()
	t.Log("recipe coverage (yes = claimed and present, found = present but unclaimed, MISSING = claimed, absent):\n" + sb.String())
	if notes.Len() > 0 {
		t.Log("not run on this machine (" + runtime.GOOS + "):\n" + notes.String())
	}
	for slug := range examples {
		if !known[slug] {
			t.Errorf("an Example names recipe %q, which is not in recipes.tsv", slug)
		}
	}
}

// checkNeeds compares r's needs column with the requirement metadata of
// its faces:
//   - the notebook section's key cell requires nothing the column does not
//     state, and everything it states that can be met on this OS;
//   - an Example file limited to one OS (a _linux name, a //go:build line)
//     belongs to a recipe whose column names an OS.
//
// Lessons carry no requirement metadata, so there is nothing to compare.
func checkNeeds(r recipes.Recipe, examples []example, sec section, inNotebook bool) []string {
	var problems []string
	needs := r.Requirements()
	namesOS := slices.ContainsFunc(needs, func(n string) bool { _, ok := osFamilies[n]; return ok })
	for _, e := range examples {
		if e.os != "" && !namesOS {
			problems = append(problems, fmt.Sprintf("recipe %s: its Example in %s/%s builds only for %s, but its needs %q names no OS", r.Slug, e.dir, e.file, e.os, r.Needs))
		}
	}
	if !inNotebook {
		return problems
	}
	for _, req := range sec.requires {
		if !slices.Contains(needs, req) {
			problems = append(problems, fmt.Sprintf("recipe %s: its cell in %s requires %q, which its needs %q does not state", r.Slug, sec.notebook, req, r.Needs))
		}
	}
	for _, n := range needs {
		if _, isOS := osFamilies[n]; isOS && n != hereOS() {
			continue // another system's path: not run here, see the notes
		}
		if !slices.Contains(sec.requires, n) {
			problems = append(problems, fmt.Sprintf("recipe %s: needs %q states %s, but its key cell in %s does not require it (\"sockbook\": {\"requires\": [...]})", r.Slug, r.Needs, n, sec.notebook))
		}
	}
	return problems
}

func mark(claimed, present bool) string {
	switch {
	case claimed && present:
		return "yes"
	case claimed:
		return "MISSING"
	case present:
		return "found"
	}
	return "-"
}

func TestParseRejectsBadTables(t *testing.T) {
	for name, text := range map[string]string{
		"no header":  "slug\tchapter\n",
		"short row":  tableHeader + "a\tb\tc\n",
		"repeated":   tableHeader + "a\t01\tT\t-\tpkg/a\t-\t-\t-\t-\n" + "a\t01\tT\t-\tpkg/a\t-\t-\t-\t-\n",
		"bad claim":  tableHeader + "a\t01\tT\t-\tpkg/a\tmaybe\t-\t-\t-\n",
		"empty slug": tableHeader + "\t01\tT\t-\tpkg/a\t-\t-\t-\t-\n",
	} {
		_, err := recipes.Parse(text)
		require.Error(t, err, name)
	}
	rs, err := recipes.Parse(tableHeader + "a\t01\tT\t-\tpkg/a\tyes\t-\t-\t-\n")
	require.NoError(t, err)
	require.True(t, rs[0].Claimed[recipes.Library])
	require.False(t, rs[0].Claimed[recipes.Notebook])
}

func TestRequirements(t *testing.T) {
	for needs, want := range map[string][]string{
		"-":             {},
		"ipv6 loopback": {"ipv6"},
		"linux AF_ALG (CONFIG_CRYPTO_USER_API_HASH)":                                          {"afalg", "linux"},
		"root or CAP_NET_RAW; an ethernet-like link (veth in a private network namespace)":    {"root"},
		"bsd or darwin; vetted for BSD and macOS, not run by CI (Linux: reports unsupported)": {"bsd"},
	} {
		assert.Equal(t, want, recipes.Recipe{Needs: needs}.Requirements(), needs)
	}
}

// TestCheckNeedsFindsProblems feeds checkNeeds faces that contradict the
// needs column.
func TestCheckNeedsFindsProblems(t *testing.T) {
	r := recipes.Recipe{Slug: "x", Needs: "ipv6 loopback"}
	linuxOnly := []example{{dir: "pkg/x", file: "example_linux_test.go", here: true, os: "linux"}}
	problems := strings.Join(checkNeeds(r, linuxOnly, section{notebook: "01-x.ipynb", requires: []string{"root"}}, true), "\n")
	assert.Contains(t, problems, "builds only for linux")
	assert.Contains(t, problems, `requires "root"`)
	assert.Contains(t, problems, "states ipv6, but its key cell")

	assert.Empty(t, checkNeeds(r, nil, section{requires: []string{"ipv6"}}, true))
	other := map[string]string{"linux": "bsd or darwin", "bsd": "linux"}[hereOS()]
	assert.Empty(t, checkNeeds(recipes.Recipe{Slug: "k", Needs: other}, linuxOnly, section{}, true), "another OS's requirement cannot be met here")
}

func TestChapters(t *testing.T) {
	rs, err := recipes.All()
	require.NoError(t, err)
	require.Equal(t, []string{"01-addresses", "02-tcp", "03-tls", "04-udp", "05-ipc",
		"06-event-loops", "07-sendfile", "08-afalg", "09-sniffers"}, recipes.Chapters(rs))
}

// TestFacesJudgedByWhatRuns builds a small repository in which a recipe's
// notebook section has only a heading and a code cell without output, and
// its only Example is in a file for another OS: neither face counts.
func TestFacesJudgedByWhatRuns(t *testing.T) {
	repo := t.TempDir()
	write := func(name, text string) {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(repo, name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(repo, name), []byte(text), 0o644))
	}
	cell := func(typ, src, meta, outputs string) string {
		c := fmt.Sprintf(`{"cell_type": %q, "metadata": %s, "source": %q`, typ, meta, src)
		if typ == "code" {
			c += `, "execution_count": null, "outputs": ` + outputs
		}
		return c + "}"
	}
	nb := func(cells ...string) string {
		return `{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [` + strings.Join(cells, ",") + "]}"
	}
	write("notebooks/01-x.ipynb", nb(
		cell("markdown", "## Bare", `{"sockbook": {"recipe": "bare"}}`, ""),
		cell("code", "x := 1", `{}`, "[]"),
		cell("markdown", "## Run", `{"sockbook": {"recipe": "run"}}`, ""),
		cell("code", "fmt.Println(1)", `{"tags": ["cheatsheet"], "sockbook": {"requires": ["afalg"]}}`,
			`[{"output_type": "stream", "name": "stdout", "text": "1\n"}]`),
		cell("markdown", "## Not a recipe", `{}`, ""),
		cell("code", "fmt.Println(2)", `{}`, `[{"output_type": "stream", "name": "stdout", "text": "2\n"}]`),
	))
	sections := notebookRecipes(t, repo)
	assert.False(t, sections["bare"].outputs, "a section whose code cell has no stored output")
	assert.True(t, sections["run"].outputs)
	assert.Equal(t, []string{"afalg", "linux"}, sections["run"].requires)

	other := map[string]string{"linux": "bsd", "bsd": "linux"}[hereOS()]
	src := "package x_test\n\nimport \"fmt\"\n\n// Recipe: %s\nfunc Example_%s() {\n\tfmt.Println(1)\n\t// Output: 1\n}\n"
	// A _linux name limits a file to Linux; "_bsd" is no GOOS, so BSD
	// files say it in a //go:build line.
	if other == "linux" {
		write("pkg/x/example_linux_test.go", fmt.Sprintf(src, "elsewhere", "elsewhere"))
	} else {
		write("pkg/x/example_bsd_test.go", "//go:build darwin || freebsd\n\n"+fmt.Sprintf(src, "elsewhere", "elsewhere"))
	}
	write("pkg/x/example_test.go", fmt.Sprintf(src, "everywhere", "everywhere"))
	examples := libraryExamples(t, repo, "pkg")
	require.Len(t, examples["elsewhere"], 1)
	assert.False(t, examples["elsewhere"][0].here, "an Example for another OS does not run here")
	assert.Equal(t, other, examples["elsewhere"][0].os)
	assert.Equal(t, []example{{dir: "pkg/x", file: "example_test.go", here: true}}, examples["everywhere"])
}
