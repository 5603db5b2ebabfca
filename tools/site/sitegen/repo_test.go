package sitegen

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sockbook/sockbook/recipes"
	"github.com/sockbook/sockbook/tools/nbformat"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pageBudget is the most bytes a page may weigh with its CSS and JS.
// The book page is exempt from the 150 KB of every other page: it holds
// every chapter at once, for printing, and is no page to read on a phone.
// Its own budget leaves room for the chapters still to grow by half.
func pageBudget(sitePath string) int64 {
	if sitePath == bookPath {
		return 750_000
	}
	return 150_000
}

// TestSizes holds the repository's site to its page weight budget (see
// pageBudget), the search index at most 400 KB.
func TestSizes(t *testing.T) {
	for _, cfg := range []Config{sampleConfig(t), {Root: repo, Out: t.TempDir()}} {
		res, err := Build(cfg)
		require.NoError(t, err)
		var assets int64
		for _, a := range []string{"assets/style.css", "assets/site.js"} {
			st, err := os.Stat(filepath.Join(cfg.Out, a))
			require.NoError(t, err)
			assets += st.Size()
		}
		for _, p := range res.Pages {
			st, err := os.Stat(filepath.Join(cfg.Out, filepath.FromSlash(p)))
			require.NoError(t, err)
			assert.LessOrEqual(t, st.Size()+assets, pageBudget(p), "%s with CSS and JS", p)
			if p == bookPath || p == "cheatsheet.html" {
				t.Logf("%s: %s: %d bytes with CSS and JS", cfg.Root, p, st.Size()+assets)
			}
		}
		st, err := os.Stat(filepath.Join(cfg.Out, "search-index.js"))
		require.NoError(t, err)
		assert.LessOrEqual(t, st.Size(), int64(400_000), "search index")
		t.Logf("%s: %d pages, CSS+JS %d bytes, search index %d bytes", cfg.Root, len(res.Pages), assets, st.Size())
	}
}

// TestRepositorySite builds the site from the repository as it stands:
// no broken internal link, and every recipe claimed for the site face has
// its anchor on its chapter page and on the cheat sheet.
func TestRepositorySite(t *testing.T) {
	out := t.TempDir()
	_, err := Build(Config{Root: repo, Out: out})
	require.NoError(t, err)
	broken, err := CheckLinks(out)
	require.NoError(t, err)
	assert.Empty(t, broken)
	rs, err := loadRecipes(repo)
	require.NoError(t, err)
	problems, err := Coverage(out, rs)
	require.NoError(t, err)
	assert.Empty(t, problems)
}

func BenchmarkBuild(b *testing.B) {
	out := b.TempDir()
	for b.Loop() {
		if _, err := Build(Config{Root: repo, Out: out}); err != nil {
			b.Fatal(err)
		}
	}
}

// nineChapters writes nine synthetic chapters the size of a full book into
// a folder: per recipe a heading, four 14-line code cells with four lines
// of output each, and five paragraphs — about 56 lines of Go per recipe,
// more than the cheat sheet's longest snippets. Chapter 06 has six recipes.
func nineChapters(tb testing.TB) string {
	dir := tb.TempDir()
	rs, err := recipes.All()
	require.NoError(tb, err)
	line := "\tn, err := conn.Write([]byte(\"synthetic\")) // size benchmark\n"
	for _, name := range recipes.Chapters(rs) {
		cells := []*nbformat.Cell{md("", "# Chapter "+name+"\n\n| Python | Go |\n| --- | --- |\n| `a` | `b` |\n")}
		for _, r := range rs {
			if r.Chapter != name {
				continue
			}
			cells = append(cells, md(r.Slug, "## "+r.Title+"\n\n"+strings.Repeat("Synthetic prose for the size benchmark. ", 30)))
			for range 4 {
				cells = append(cells, code("func main() {\n"+strings.Repeat(line, 12)+"}", nil, stdout(strings.Repeat("synthetic output line\n", 4))),
					md("", strings.Repeat("More synthetic prose with `code` and *emphasis*. ", 12)))
			}
		}
		nb := &nbformat.Notebook{Metadata: map[string]any{}, Cells: cells, Nbformat: 4, NbformatMinor: 5}
		require.NoError(tb, nbformat.WriteFile(filepath.Join(dir, name+".ipynb"), nb))
	}
	return dir
}

// TestSizesNineChapters holds a book of nine realistic chapters plus the
// repository's course to the page weight budget.
func TestSizesNineChapters(t *testing.T) {
	cfg := Config{Root: repo, Notebooks: nineChapters(t), Out: t.TempDir()}
	res, err := Build(cfg)
	require.NoError(t, err)
	var largest int64
	var largestPage string
	for _, p := range res.Pages {
		st, err := os.Stat(filepath.Join(cfg.Out, filepath.FromSlash(p)))
		require.NoError(t, err)
		if p == bookPath {
			assert.LessOrEqual(t, st.Size(), pageBudget(p), p)
			continue
		}
		if st.Size() > largest {
			largest, largestPage = st.Size(), p
		}
	}
	var assets int64
	for _, a := range []string{"assets/style.css", "assets/site.js"} {
		st, err := os.Stat(filepath.Join(cfg.Out, a))
		require.NoError(t, err)
		assets += st.Size()
	}
	idx, err := os.Stat(filepath.Join(cfg.Out, "search-index.js"))
	require.NoError(t, err)
	t.Logf("largest page but the book, %s: %d bytes + %d bytes CSS and JS; search index %d bytes", largestPage, largest, assets, idx.Size())
	assert.LessOrEqual(t, largest+assets, int64(150_000))
	assert.LessOrEqual(t, idx.Size(), int64(400_000))
	broken, err := CheckLinks(cfg.Out)
	require.NoError(t, err)
	assert.Empty(t, broken)
}

// BenchmarkBuildNineChapters measures the target: nine chapters plus the
// course built in under a second.
func BenchmarkBuildNineChapters(b *testing.B) {
	cfg := Config{Root: repo, Notebooks: nineChapters(b), Out: b.TempDir()}
	for b.Loop() {
		if _, err := Build(cfg); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBuildSample(b *testing.B) {
	cfg := sampleConfig(b)
	for b.Loop() {
		if _, err := Build(cfg); err != nil {
			b.Fatal(err)
		}
	}
}
