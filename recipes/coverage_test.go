package recipes

import (
	"fmt"
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"text/tabwriter"

	"github.com/sockbook/sockbook/tools/nbformat"
	"github.com/stretchr/testify/require"
)

var recipeLine = regexp.MustCompile(`(?m)^Recipe: (\S+)$`)

// libraryExamples finds every Example function under root whose doc comment
// carries a "Recipe: <slug>" line and that has an output comment, and maps
// the slug to the folder (relative to the repository) that holds it.
func libraryExamples(t *testing.T, repo, root string) map[string][]string {
	t.Helper()
	found := map[string][]string{}
	err := filepath.WalkDir(filepath.Join(repo, root), func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		fset := token.NewFileSet()
		var files []*ast.File
		entries, err := os.ReadDir(path)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, filepath.Join(path, e.Name()), nil, parser.ParseComments)
			if err != nil {
				return err
			}
			files = append(files, f)
		}
		rel, _ := filepath.Rel(repo, path)
		for _, ex := range doc.Examples(files...) {
			m := recipeLine.FindStringSubmatch(ex.Doc)
			if m == nil {
				continue
			}
			if ex.Output == "" && !ex.EmptyOutput {
				t.Errorf("%s: Example%s (recipe %s) has no // Output: comment, so go test never runs it", rel, ex.Name, m[1])
				continue
			}
			found[m[1]] = append(found[m[1]], filepath.ToSlash(rel))
		}
		return nil
	})
	require.NoError(t, err)
	return found
}

func TestCoverage(t *testing.T) {
	rs, err := All()
	require.NoError(t, err)
	require.Len(t, rs, 35, "the cheat sheet has 35 recipes")

	examples := libraryExamples(t, "..", "pkg")
	inNotebook := notebookRecipes(t, "..")
	courseHas := map[string]bool{}
	for _, l := range readLessons(t) {
		for _, slug := range l.Recipes {
			courseHas[slug] = true
		}
	}
	known := map[string]bool{}

	var sb strings.Builder
	w := tabwriter.NewWriter(&sb, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "slug\tchapter\tpackage\tlibrary\tnotebook\tsite\tcourse")
	for _, r := range rs {
		known[r.Slug] = true
		lib := mark(r.Claimed[Library], len(examples[r.Slug]) > 0)
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Slug, r.Chapter, r.Package, lib,
			mark(r.Claimed[Notebook], inNotebook[r.Slug] != ""), siteMark(r.Claimed[Site]), mark(r.Claimed[Course], courseHas[r.Slug]))

		if r.Claimed[Library] && len(examples[r.Slug]) == 0 {
			t.Errorf("recipe %s is claimed for the library but no Example preceded by // Recipe: %s exists under pkg/", r.Slug, r.Slug)
		}
		for _, dir := range examples[r.Slug] {
			if dir != r.Package {
				t.Errorf("recipe %s: Example found in %s, but the table says %s", r.Slug, dir, r.Package)
			}
		}
		if r.Claimed[Notebook] && inNotebook[r.Slug] == "" {
			t.Errorf("recipe %s is claimed for the notebook face but no notebook section carries it", r.Slug)
		}
		if nb := inNotebook[r.Slug]; nb != "" && nb != r.Chapter+".ipynb" {
			t.Errorf("recipe %s is in notebooks/%s, but its chapter is %s", r.Slug, nb, r.Chapter)
		}
		// The site face is checked by TestSiteCoverage, which builds the site.
	}
	w.Flush()
	t.Log("recipe coverage (yes = claimed and present, found = present but unclaimed, MISSING = claimed, absent):\n" + sb.String())

	for slug := range examples {
		if !known[slug] {
			t.Errorf("an Example names recipe %q, which is not in recipes.tsv", slug)
		}
	}
}

// notebookRecipes maps each recipe slug to the notebook (file name under
// notebooks/) whose section heading carries it: a markdown cell starting
// with "## " and the metadata "sockbook": {"recipe": "<slug>"}.
func notebookRecipes(t *testing.T, repo string) map[string]string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(repo, "notebooks", "*.ipynb"))
	require.NoError(t, err)
	found := map[string]string{}
	for _, p := range paths {
		nb, err := nbformat.ReadFile(p)
		require.NoError(t, err)
		for i, c := range nb.Cells {
			slug := c.Recipe()
			if slug == "" {
				continue
			}
			if c.Type != "markdown" || !strings.HasPrefix(c.Source, "## ") {
				t.Errorf("%s cell %d: recipe %s must be carried by its section's \"## \" heading cell", p, i, slug)
				continue
			}
			if prev, ok := found[slug]; ok {
				t.Errorf("recipe %s has sections in both %s and %s", slug, prev, filepath.Base(p))
			}
			found[slug] = filepath.Base(p)
		}
	}
	return found
}

// siteMark shows a site claim; TestSiteCoverage checks it against the
// built pages.
func siteMark(claimed bool) string {
	if claimed {
		return "yes"
	}
	return "-"
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
	head := strings.Join(header, "\t") + "\n"
	for name, text := range map[string]string{
		"no header":  "slug\tchapter\n",
		"short row":  head + "a\tb\tc\n",
		"repeated":   head + "a\t01\tT\t-\tpkg/a\t-\t-\t-\t-\n" + "a\t01\tT\t-\tpkg/a\t-\t-\t-\t-\n",
		"bad claim":  head + "a\t01\tT\t-\tpkg/a\tmaybe\t-\t-\t-\n",
		"empty slug": head + "\t01\tT\t-\tpkg/a\t-\t-\t-\t-\n",
	} {
		_, err := Parse(text)
		require.Error(t, err, name)
	}
	rs, err := Parse(head + "a\t01\tT\t-\tpkg/a\tyes\t-\t-\t-\n")
	require.NoError(t, err)
	require.True(t, rs[0].Claimed[Library])
	require.False(t, rs[0].Claimed[Notebook])
}

func TestChapters(t *testing.T) {
	rs, err := All()
	require.NoError(t, err)
	require.Equal(t, []string{"01-addresses", "02-tcp", "03-tls", "04-udp", "05-ipc",
		"06-event-loops", "07-sendfile", "08-afalg", "09-sniffers"}, Chapters(rs))
}
