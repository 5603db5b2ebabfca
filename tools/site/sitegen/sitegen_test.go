package sitegen

import (
	"encoding/json"
	"html/template"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/sockbook/sockbook/recipes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const repo = "../../.."

// sampleConfig builds from the sample content in testdata with the real
// templates and recipe table. testdata/bench holds sample benchmark
// results in the format of tools/bench/results, with made-up figures.
func sampleConfig(t testing.TB) Config {
	return Config{
		Root:       repo,
		Notebooks:  filepath.Join("testdata", "content", "notebooks"),
		Tutorials:  filepath.Join("testdata", "content", "tutorials"),
		Assets:     filepath.Join(repo, "site"),
		Benchmarks: filepath.Join("testdata", "bench"),
		Out:        t.TempDir(),
	}
}

func buildSample(t testing.TB) string {
	t.Helper()
	cfg := sampleConfig(t)
	_, err := Build(cfg)
	require.NoError(t, err)
	return cfg.Out
}

func read(t testing.TB, dir, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	require.NoError(t, err)
	return string(data)
}

func TestChapterPage(t *testing.T) {
	out := buildSample(t)
	tcp := read(t, out, "chapters/02-tcp.html")
	assert.Contains(t, tcp, `<title>TCP (sample chapter) — sockbook</title>`)
	assert.Contains(t, tcp, `<h2 id="tcp-echo">Echo server</h2>`, "a recipe heading carries the slug as id")
	assert.Contains(t, tcp, `<span class=s>"127.0.0.1:0"</span>`, "code cells are highlighted with classes")
	assert.Contains(t, tcp, `ln, err <span class=o>:= </span>net.<span class=nf>Listen</span>(`, "tokens drawn as plain text get no element")
	assert.Contains(t, tcp, `<pre tabindex="0">sample &lt;key&gt; line</pre>`, "output text is escaped")
	assert.NotContains(t, tcp, "<script>alert", "raw HTML in markdown is dropped")
	assert.NotContains(t, tcp, "never shown", "HTML outputs are not passed through")
	assert.Contains(t, tcp, `<div class="output result"><span class="out-label">result</span><pre tabindex="0">42</pre>`)
	assert.Contains(t, tcp, `<div class="output stderr">`)
	assert.Contains(t, tcp, `<div class="output error"><span class="out-label">error</span><pre tabindex="0">panic: sample failure</pre>`, "ANSI colours are stripped from tracebacks")
	assert.Contains(t, tcp, `<span class="badge">needs root</span><span class="badge">needs IPv6</span>`)
	assert.Contains(t, tcp, `<span class="badge">fails on purpose</span>`)
	assert.Contains(t, tcp, `class="footnotes"`)
	assert.Contains(t, tcp, `href="06-event-loops.html#epoll-server"`, "links to notebooks become chapter links")
	assert.Contains(t, tcp, `href="../course/index.html"`, "links to the syllabus become course links")
	assert.Contains(t, tcp, `href="../notebooks/02-tcp.ipynb" download data-file="notebooks/02-tcp.ipynb"`)
	assert.FileExists(t, filepath.Join(out, "notebooks", "02-tcp.ipynb"))

	loops := read(t, out, "chapters/06-event-loops.html")
	assert.Contains(t, loops, `id="waiting-for-events"`)
	assert.Contains(t, loops, `id="waiting-for-events-1"`, "repeated headings across cells get distinct ids")
	assert.Contains(t, loops, `<span class="badge">not run when the notebook is checked</span>`)
	assert.Contains(t, loops, `<a href="#epoll-server">Epoll server</a>`, "the sidebar lists the chapter's recipes")
	assert.Contains(t, loops, `<li class="toc-3"><a href="#waiting-for-events">Waiting for events</a></li>`)
}

func TestCheatSheet(t *testing.T) {
	out := buildSample(t)
	sheet := read(t, out, "cheatsheet.html")
	rs, err := recipes.All()
	require.NoError(t, err)
	for _, r := range rs {
		assert.Contains(t, sheet, `<h3 id="`+r.Slug+`"`, "every recipe is on the cheat sheet")
		assert.Contains(t, sheet, `<li><a href="#`+r.Slug+`">`, "and in its contents list")
	}
	section := func(slug string) string {
		_, after, ok := strings.Cut(sheet, `<h3 id="`+slug+`"`)
		require.True(t, ok, slug)
		before, _, _ := strings.Cut(after, "</section>")
		return before
	}
	epoll := section("epoll-server")
	assert.Contains(t, epoll, `href="chapters/06-event-loops.html#epoll-server"`, "the title leads to the section")
	assert.Contains(t, epoll, `<code>unix.EpollWait</code>`, "the calls it is about")
	assert.Contains(t, epoll, `<span class="badge">Linux only</span>`)
	assert.Contains(t, epoll, `data-lang="go"`)
	assert.Contains(t, epoll, `EpollWait</span>(`, "the snippet of recipes/sheet, highlighted")
	assert.Contains(t, epoll, `data-lang="python"`)
	assert.Contains(t, epoll, `epoll()`)
	assert.NotContains(t, epoll, "// Calls:", "the doc comment is not shown")
	assert.True(t, strings.HasPrefix(section("hostname"), ">Get Hostname</h3>"), "no link where the sample has no chapter")
	assert.Less(t, strings.Index(sheet, `id="chapter-01-addresses"`), strings.Index(sheet, `id="chapter-09-sniffers"`))
}

func TestCheatSheetWithoutSnippets(t *testing.T) {
	cfg := sampleConfig(t)
	cfg.Sheet = t.TempDir()
	_, err := Build(cfg)
	require.NoError(t, err)
	sheet := read(t, cfg.Out, "cheatsheet.html")
	assert.Equal(t, 35, strings.Count(sheet, "Not written yet"))
	assert.Equal(t, 35, strings.Count(sheet, `data-status="missing"`))

	require.NoError(t, os.WriteFile(filepath.Join(cfg.Sheet, "tcp_echo.go"), []byte("package sheet\n\nfunc TCPEcho() {}\n"), 0o644))
	_, err = Build(cfg)
	require.ErrorContains(t, err, `tcp_echo.go: TCPEcho: the doc comment needs a "Calls:" and a "Python:" line`, "a broken snippet fails the build")
}

func TestBook(t *testing.T) {
	out := buildSample(t)
	b := read(t, out, "book.html")
	assert.Less(t, strings.Index(b, `<section class="book-chapter" id="chapter-02-tcp"`), strings.Index(b, `<section class="book-chapter" id="chapter-06-event-loops"`), "chapters in course order")
	assert.Contains(t, b, `<div class="output stdout">`, "with their outputs")
	assert.Contains(t, b, `href="#epoll-server"`, "links between chapters stay on the page")
	assert.Contains(t, b, `href="course/index.html"`, "other links are rebased from chapters/")
	assert.NotContains(t, b, `href="../`)
	ids := map[string]int{}
	for _, m := range idAttr.FindAllStringSubmatch(b, -1) {
		ids[m[1]]++
	}
	for id, n := range ids {
		assert.Equal(t, 1, n, "id %q is unique on the page", id)
	}
	assert.Contains(t, read(t, out, "index.html"), `<a href="book.html">The whole book on one page</a>`, "every footer links it")
	broken, err := CheckLinks(out)
	require.NoError(t, err)
	assert.Empty(t, broken)
}

func TestRebase(t *testing.T) {
	own := map[string]string{"tcp-echo": "tcp-echo", "summary": "02-tcp-summary"}
	byFile := map[string]map[string]string{"02-tcp.html": own, "06-event-loops.html": {"epoll-server": "epoll-server"}}
	inBook := map[string]string{"02-tcp.html": "chapter-02-tcp", "06-event-loops.html": "chapter-06-event-loops"}
	for in, want := range map[string]string{
		"#summary":                         "#02-tcp-summary",
		"#elsewhere":                       "#elsewhere",
		"06-event-loops.html#epoll-server": "#epoll-server",
		"06-event-loops.html":              "#chapter-06-event-loops",
		"07-sendfile.html#x":               "chapters/07-sendfile.html#x",
		"../course/index.html":             "course/index.html",
		"https://example.org/a.html":       "https://example.org/a.html",
		"data:image/png;base64,AA":         "data:image/png;base64,AA",
	} {
		assert.Equal(t, want, rebase(in, own, byFile, inBook), in)
	}
}

func TestReferenceCollectsTables(t *testing.T) {
	out := buildSample(t)
	ref := read(t, out, "reference.html")
	assert.Contains(t, ref, "<th>Note</th>", "extra columns are kept")
	assert.Contains(t, ref, "<code>net.Listen</code>")
	assert.Contains(t, ref, "<code>unix.EpollCreate1</code>")
	assert.Contains(t, ref, `<h2 id="ref-06-event-loops"><a href="chapters/06-event-loops.html">Event loops (sample chapter)</a></h2>`)
	assert.Contains(t, ref, `<li class="toc-2"><a href="#ref-06-event-loops">Event loops (sample chapter)</a></li>`, "the reference has a contents list")
}

func TestLessonPage(t *testing.T) {
	out := buildSample(t)
	l := read(t, out, "course/06-event-loops.html")
	assert.Contains(t, l, `href="../chapters/06-event-loops.html#epoll-server"`)
	assert.Contains(t, l, `<details class="quiz-a right"><summary><code>unix.EpollCreate1</code></summary><p><strong>Right.</strong> Yes — the sample uses it.</p></details>`)
	assert.Contains(t, l, `<details class="quiz-a wrong">`)
	assert.Contains(t, l, `data-lesson="06-event-loops"`)
	assert.Contains(t, l, `type="checkbox"`, "task lists render as checkboxes")
	assert.Contains(t, l, "About 45 minutes")

	course := read(t, out, "course/index.html")
	assert.Contains(t, course, `href="06-event-loops.html"`)
	assert.Contains(t, course, `href="exercises/06-sample-loop.html"`, "links to an exercise folder reach its README page")
	assert.Contains(t, course, `href="https://github.com/sockbook/sockbook/blob/main/go.mod"`, "files the site does not render link to the repository")
	ex := read(t, out, "course/exercises/06-sample-loop.html")
	assert.Contains(t, ex, `href="https://github.com/sockbook/sockbook/blob/main/tutorials/exercises/06-sample-loop/stub.go"`)
}

func TestNoBrokenLinks(t *testing.T) {
	out := buildSample(t)
	broken, err := CheckLinks(out)
	require.NoError(t, err)
	assert.Empty(t, broken)
}

func TestCheckLinksFindsBreakage(t *testing.T) {
	out := buildSample(t)
	bad := `<a href="chapters/02-tcp.html#nope">x</a><a href="missing.html">y</a><a href="/abs.html">z</a><a href="course/">w</a><a href="#tcp-echo">ok</a><a href="https://example.org/x">ext</a><div id="tcp-echo"></div>`
	require.NoError(t, os.WriteFile(filepath.Join(out, "bad.html"), []byte(bad), 0o644))
	broken, err := CheckLinks(out)
	require.NoError(t, err)
	assert.Equal(t, []string{
		`bad.html: chapters/02-tcp.html#nope: no id "nope" on chapters/02-tcp.html`,
		`bad.html: missing.html: no such file`,
		`bad.html: /abs.html: absolute path: breaks under a sub-path and from file://`,
		`bad.html: course/: a folder: from file:// it shows no index.html`,
	}, broken)
}

func TestCoverage(t *testing.T) {
	cfg := sampleConfig(t)
	cfg.Sheet = t.TempDir() // the snippets of two of the four claimed recipes
	for _, f := range []string{"tcp_echo.go", "tcp_echo.py", "epoll_server.go", "epoll_server.py"} {
		data, err := os.ReadFile(filepath.Join(repo, "recipes", "sheet", f))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(cfg.Sheet, f), data, 0o644))
	}
	_, err := Build(cfg)
	require.NoError(t, err)
	out := cfg.Out
	rs, err := recipes.All()
	require.NoError(t, err)
	claim := map[string]bool{"tcp-echo": true, "epoll-server": true, "hostname": true, "tcp-echo-ipv6": true}
	for i := range rs {
		rs[i].Claimed = map[recipes.Face]bool{recipes.Site: claim[rs[i].Slug]}
	}
	problems, err := Coverage(out, rs)
	require.NoError(t, err)
	assert.Equal(t, []string{
		"recipe hostname is claimed for the site, but chapter page chapters/01-addresses.html does not exist (no notebooks/01-addresses.ipynb)",
		"recipe hostname is claimed for the site, but the cheat sheet has no code for it",
		`recipe tcp-echo-ipv6 is claimed for the site, but chapters/02-tcp.html has no id="tcp-echo-ipv6" (no notebook cell carries "sockbook": {"recipe": "tcp-echo-ipv6"})`,
		"recipe tcp-echo-ipv6 is claimed for the site, but the cheat sheet has no code for it",
	}, problems)
}

func TestEmptyContent(t *testing.T) {
	cfg := sampleConfig(t)
	cfg.Notebooks, cfg.Tutorials, cfg.Benchmarks = t.TempDir(), t.TempDir(), t.TempDir()
	res, err := Build(cfg)
	require.NoError(t, err)
	assert.Equal(t, []string{"index.html", "course/index.html", "cheatsheet.html", "reference.html", "book.html"}, res.Pages)
	for _, f := range []string{"404.html", "sitemap.xml", "search-index.js", "assets/style.css", "assets/site.js"} {
		assert.FileExists(t, filepath.Join(cfg.Out, f))
	}
	sitemap := read(t, cfg.Out, "sitemap.xml")
	assert.Contains(t, sitemap, "<loc>http://localhost:8000/</loc>")
	assert.Contains(t, sitemap, "<loc>http://localhost:8000/cheatsheet.html</loc>")
	assert.NotContains(t, sitemap, "404")
	broken, err := CheckLinks(cfg.Out)
	require.NoError(t, err)
	assert.Empty(t, broken)
}

func TestNotFoundPageUsesPublishedPath(t *testing.T) {
	cfg := sampleConfig(t)
	cfg.BaseURL = "https://example.org/sockbook/"
	_, err := Build(cfg)
	require.NoError(t, err)
	nf := read(t, cfg.Out, "404.html")
	assert.Contains(t, nf, `href="/sockbook/cheatsheet.html"`)
	assert.Contains(t, read(t, cfg.Out, "sitemap.xml"), "<loc>https://example.org/sockbook/chapters/02-tcp.html</loc>")
}

func TestBadInput(t *testing.T) {
	write := func(t *testing.T, dir, name, text string) {
		require.NoError(t, os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644))
	}
	fm := "---\ntitle: A\nchapter:\nrecipes: []\n" // a front matter without minutes
	for name, tc := range map[string]struct{ file, text, want string }{
		"no front matter":      {"lessons/01-a.md", "# A\n", "lessons/01-a.md:1: no front matter"},
		"unclosed":             {"lessons/01-a.md", "---\ntitle: A\n", "front matter is not closed"},
		"no title":             {"lessons/01-a.md", "---\nchapter: 01-addresses\n---\n", "lessons/01-a.md:3: front matter has no title"},
		"bad minutes":          {"lessons/01-a.md", fm + "minutes: soon\n---\n", `lessons/01-a.md:5: front matter minutes "soon" is not a positive whole number`},
		"unknown recipe":       {"lessons/01-a.md", "---\ntitle: A\nchapter:\nrecipes: [hostname, nope]\nminutes: 5\n---\n", `names recipe "nope", which is not in recipes.tsv`},
		"two right answers":    {"lessons/01-a.md", fm + "minutes: 5\n---\n\n```quiz\n? Q\n+ a :: b\n+ c :: d\n```\n", `lessons/01-a.md:9: quiz question "Q" has 2 answers, 2 of them right`},
		"answer w/o why":       {"lessons/01-a.md", fm + "minutes: 5\n---\n```quiz\n? Q\n+ a\n```\n", `lessons/01-a.md:9: quiz answer "+ a" is not "answer :: explanation"`},
		"quiz in the syllabus": {"README.md", "# Course\n\n```quiz\n? Q\n+ a :: b\n```\n", `README.md:4: quiz question "Q" has 1 answers`},
		"escaping link":        {"README.md", "[x](../../../etc/passwd)", `link "../../../etc/passwd" leaves the repository`},
	} {
		t.Run(name, func(t *testing.T) {
			cfg := sampleConfig(t)
			cfg.Tutorials = t.TempDir()
			write(t, cfg.Tutorials, tc.file, tc.text)
			_, err := Build(cfg)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	t.Run("bad notebook", func(t *testing.T) {
		cfg := sampleConfig(t)
		cfg.Notebooks = t.TempDir()
		write(t, cfg.Notebooks, "01-addresses.ipynb", `{"nbformat": 3}`)
		_, err := Build(cfg)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "01-addresses.ipynb")
	})
	t.Run("foreign output folder", func(t *testing.T) {
		cfg := sampleConfig(t)
		write(t, cfg.Out, "precious.txt", "keep me")
		_, err := Build(cfg)
		require.ErrorContains(t, err, "refusing to replace it")
		assert.FileExists(t, filepath.Join(cfg.Out, "precious.txt"))
	})
}

func TestRebuildReplacesOutput(t *testing.T) {
	cfg := sampleConfig(t)
	_, err := Build(cfg)
	require.NoError(t, err)
	cfg.Notebooks = t.TempDir()
	_, err = Build(cfg)
	require.NoError(t, err)
	assert.NoFileExists(t, filepath.Join(cfg.Out, "chapters", "02-tcp.html"), "pages of removed notebooks go away")
}

func TestHighlightContrast(t *testing.T) {
	css := highlightCSS()
	assert.Contains(t, css, ".code .c1{color:var(--hl-c1)")
	assert.Contains(t, css, `:root[data-theme="dark"]{`)
	lt, dt := codeThemes()
	for _, th := range []codeTheme{lt, dt} {
		for class, st := range themeVars(th) {
			assert.GreaterOrEqual(t, contrast(mustColour(st.colour), th.background), 4.5, "%s .%s", th.style, class)
		}
	}
}

func mustColour(s string) chroma.Colour { return chroma.MustParseColour(s) }

func TestHighlightOmitsPlainTokens(t *testing.T) {
	css := highlightCSS()
	plain := plainClasses()
	assert.True(t, plain["p"] && plain["nx"], "punctuation and names look like text in both github themes")
	for class := range plain {
		assert.NotContains(t, css, ".code ."+class+"{", "no rule for a class that is never emitted")
	}
}

func TestBenchmarksPage(t *testing.T) {
	cfg := sampleConfig(t)
	res, err := Build(cfg)
	require.NoError(t, err)
	assert.Equal(t, []string{"benchmarks.html", "book.html"}, res.Pages[len(res.Pages)-2:])
	assert.Contains(t, read(t, cfg.Out, "index.html"), `<a href="benchmarks.html">Benchmarks</a>`, "the top bar links the page")
	page := read(t, cfg.Out, "benchmarks.html")
	assert.Equal(t, 1, strings.Count(page, "<h1"), "each file's title is a section heading, not a second h1")
	assert.Contains(t, page, `<h2 id="aes-gcm">AES-GCM: AF_ALG against crypto/cipher (sample results)</h2>`, "files render in name order, titled by their # line")
	assert.Less(t, strings.Index(page, `id="aes-gcm"`), strings.Index(page, `id="echo"`))
	assert.Contains(t, page, `<h3 id="echo-closed-loop-50-connections-64-byte-messages-5s-per-run-median-of-3-rounds">`, "ids are namespaced by file")
	assert.Contains(t, page, `<h3 id="aes-gcm-summary">Summary</h3>`)
	assert.Contains(t, page, `<h3 id="echo-summary">Summary</h3>`, "the same heading in two files gets two ids")
	assert.Contains(t, page, `<li class="toc-3"><a href="#echo-summary">Summary</a></li>`)
	assert.Contains(t, page, `<a href="benchmarks/echo-closed-rate.svg"><img src="benchmarks/echo-closed-rate.svg" alt="Echoes per second, closed loop (higher is better)" class="chart"></a>`, "charts are copied, and link to their full size")
	assert.Contains(t, page, `<th style="text-align:right">echoes/s</th>`, "GFM tables keep their alignment")
	assert.Contains(t, page, "<td style=\"text-align:right\">a &amp; b &lt; c</td>", "cell text is escaped")
	assert.NotContains(t, page, "<script>alert", "raw HTML in results is dropped")
	assert.Contains(t, page, `href="https://github.com/sockbook/sockbook/blob/main/tools/site/sitegen/testdata/README.md"`, "links are relative to the results folder")
	assert.Contains(t, page, `href="https://github.com/sockbook/sockbook/tree/main/tools/site/sitegen/testdata/bench"`)
	for _, svg := range []string{"echo-closed-rate.svg", "aes-gcm.svg"} {
		want, err := os.ReadFile(filepath.Join(cfg.Benchmarks, svg))
		require.NoError(t, err)
		assert.Equal(t, string(want), read(t, cfg.Out, "benchmarks/"+svg), "charts are copied unchanged")
	}
	search := read(t, cfg.Out, "search-index.js")
	assert.Contains(t, search, `["benchmarks.html#aes-gcm","AES-GCM: AF_ALG against crypto/cipher (sample results)","Benchmarks","Seal and open round trips · Summary",`, "one entry per results file, its h3s as headings")
	broken, err := CheckLinks(cfg.Out)
	require.NoError(t, err)
	assert.Empty(t, broken)

	s := &site{cfg: cfg, routes: map[string]string{}}
	_, _, err = benchmarks(cfg, s.routes)
	require.NoError(t, err)
	for dest, want := range map[string]string{
		"../tools/site/sitegen/testdata/bench/echo.md":              "../benchmarks.html#echo",
		"../tools/site/sitegen/testdata/bench/echo.md#echo-summary": "../benchmarks.html#echo-summary",
	} {
		got, err := s.rewrite("notebooks/07-sendfile.ipynb", "chapters/07-sendfile.html", dest)
		require.NoError(t, err)
		assert.Equal(t, want, got, "a link from a chapter to the results file %s goes to its section", dest)
	}

	cfg.Benchmarks = t.TempDir()
	res, err = Build(cfg)
	require.NoError(t, err)
	assert.NotContains(t, res.Pages, "benchmarks.html", "no results, no page")
	assert.NoFileExists(t, filepath.Join(cfg.Out, "benchmarks.html"))
	assert.NoDirExists(t, filepath.Join(cfg.Out, "benchmarks"))
	assert.NotContains(t, read(t, cfg.Out, "index.html"), "benchmarks.html")
	cfg.Benchmarks = filepath.Join(t.TempDir(), "missing")
	_, err = Build(cfg)
	require.NoError(t, err, "a missing folder is no results")
}

func TestBenchmarksBadInput(t *testing.T) {
	for name, tc := range map[string]struct{ file, text, want string }{
		"missing chart":  {"echo.md", "# Echo\n\n![rate](echo-rate.svg)\n", `tools/bench/results/echo.md: image "echo-rate.svg": no chart of that name beside the results`},
		"remote chart":   {"echo.md", "# Echo\n\n![rate](https://example.org/rate.svg)\n", `image "https://example.org/rate.svg": no chart of that name`},
		"no title":       {"echo.md", "Measured on a sample.\n\n## Table\n", `tools/bench/results/echo.md: results file does not start with a "# Title" line`},
		"title too deep": {"echo.md", "## Echo\n", `does not start with a "# Title" line`},
		"unnamed file":   {"---.md", "# Dashes\n", `file name "---" gives no heading id of its own`},
		"escaping link":  {"echo.md", "# Echo\n\n[x](../../../../etc/passwd)\n", `link "../../../../etc/passwd" leaves the repository`},
	} {
		t.Run(name, func(t *testing.T) {
			cfg := sampleConfig(t)
			cfg.Benchmarks = t.TempDir()
			require.NoError(t, os.WriteFile(filepath.Join(cfg.Benchmarks, tc.file), []byte(tc.text), 0o644))
			_, err := Build(cfg)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestEntitiesEscapedOnce builds the sample site, whose headings and titles
// hold quotes, ampersands, dashes and entities, and the repository's site,
// and reads every text of every page (sidebar, contents, <title>,
// prev/next, labels) and of the search index: none may still hold an
// entity once parsed.
func TestEntitiesEscapedOnce(t *testing.T) {
	for _, cfg := range []Config{sampleConfig(t), {Root: repo, Out: t.TempDir()}} {
		_, err := Build(cfg)
		require.NoError(t, err)
		found, err := DoubleEscapes(cfg.Out)
		require.NoError(t, err)
		assert.Empty(t, found, cfg.Root)
	}
	out := buildSample(t)
	loops := read(t, out, "chapters/06-event-loops.html")
	want := "Select server – “ready” sets &amp; fd_set &lt;masks&gt;"
	assert.Contains(t, loops, `<a href="#select-server">`+want+`</a>`, "the sidebar")
	assert.Contains(t, loops, `<li class="toc-2"><a href="#select-server">`+want+`</a></li>`, "the contents")
	ex := read(t, out, "course/exercises/06-sample-loop.html")
	assert.Contains(t, ex, "<title>A “sample” exercise – it’s go test &amp; done — sockbook</title>")
	assert.Contains(t, read(t, out, "course/06-event-loops.html"), "<span>A “sample” exercise – it’s go test &amp; done</span>", "prev/next")
	assert.Contains(t, read(t, out, "search-index.js"), `"Select server – “ready” sets \u0026 fd_set \u003cmasks\u003e"`)
}

// TestSearchIndex checks the entries built for the sample site: one per
// section, sub-headings folded in, code identifiers and Python names, text
// of prose and outputs; the cheat sheet adds no second entry per recipe.
func TestSearchIndex(t *testing.T) {
	out := buildSample(t)
	data := read(t, out, searchIndexFile)
	var entries [][]string
	require.NoError(t, json.Unmarshal([]byte(strings.TrimSuffix(strings.TrimPrefix(data, searchIndexPrefix), ";\n")), &entries))
	byURL := map[string][]string{}
	for _, e := range entries {
		require.Len(t, e, 7)
		_, dup := byURL[e[0]]
		assert.False(t, dup, "one entry per section: %s", e[0])
		byURL[e[0]] = e
	}
	epoll := byURL["chapters/06-event-loops.html#epoll-server"]
	require.NotNil(t, epoll)
	assert.Equal(t, "Epoll server", epoll[1])
	assert.Equal(t, "Event loops (sample chapter)", epoll[2])
	assert.Equal(t, "Waiting for events", epoll[3], "h3s are folded into their section")
	assert.Contains(t, strings.Fields(epoll[4]), "unix.EpollCreate1", "first used in code here")
	assert.Contains(t, strings.Fields(epoll[4]+" "+epoll[5]), "select.epoll", "the Python name of the table row")
	assert.Contains(t, epoll[6], "A sample epoll section. Sample text. true", "prose and outputs")
	assert.NotContains(t, byURL, "chapters/06-event-loops.html#waiting-for-events")
	assert.NotContains(t, byURL, "cheatsheet.html#epoll-server", "the cheat sheet repeats the chapters")
	tcp := byURL["chapters/02-tcp.html#tcp-echo"]
	assert.Contains(t, strings.Fields(tcp[4]), "net.Listen")
	assert.Contains(t, strings.Fields(tcp[4]+" "+tcp[5]), "socket.socket", "Python names reach the section using the Go name")
	assert.NotContains(t, tcp[6], "<nil>x", "outputs are text")
}

func TestGenericHeadingsFold(t *testing.T) {
	mk := func(path string, hs ...string) *page {
		p := &page{Path: path, Title: path}
		for _, h := range hs {
			p.Headings = append(p.Headings, heading{Level: 2, ID: slugify(h), Text: h})
		}
		p.Body = template.HTML("<p>intro</p>")
		for _, h := range hs {
			p.Body += template.HTML(`<h2 id="` + slugify(h) + `">` + h + `</h2><p>about ` + h + `</p>`)
		}
		return p
	}
	pages := []*page{mk("a.html", "Pitfalls", "Sockets"), mk("b.html", "Pitfalls", "Ports"), mk("c.html", "Pitfalls")}
	assert.Equal(t, map[string]bool{"Pitfalls": true}, genericHeadings(pages))
	var urls []string
	for _, e := range searchIndex(pages, nil) {
		urls = append(urls, e.URL)
		if e.URL == "a.html" {
			assert.Equal(t, "intro about Pitfalls", strings.TrimSpace(e.text.String()), "a generic section is searched as part of its page")
		}
	}
	assert.Equal(t, []string{"a.html", "a.html#sockets", "b.html", "b.html#ports", "c.html"}, urls)
}

func TestDoubleEscapesFindsThem(t *testing.T) {
	dir := t.TempDir()
	page := `<title>a &amp;ldquo;b&amp;rdquo;</title><p>fine &amp; &lt;ok&gt;</p><input aria-label="x &amp;rsquo; y"><pre>&amp;amp; in code is shown</pre>`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "p.html"), []byte(page), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, searchIndexFile), []byte(searchIndexPrefix+`[["p.html","t &amp; u","","","","",""]];`), 0o644))
	found, err := DoubleEscapes(dir)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{`p.html: "a &ldquo;b&rdquo;"`, `p.html: "x &rsquo; y"`, searchIndexFile + `: "t &amp; u"`}, found)
}

func TestCourseOrder(t *testing.T) {
	c := &course{}
	for _, n := range []string{"01-addresses", "02-tcp", "10-capstone"} {
		c.lessons = append(c.lessons, &lessonPage{Name: n})
	}
	for _, n := range []string{"01-byte-order", "01-inet-aton", "02-dual-stack", "10-capstone", "99-orphan"} {
		c.exercises = append(c.exercises, &lessonPage{Name: n})
	}
	var names []string
	for _, l := range c.order() {
		names = append(names, l.Name)
	}
	assert.Equal(t, []string{"01-addresses", "01-byte-order", "01-inet-aton", "02-tcp", "02-dual-stack", "10-capstone", "10-capstone", "99-orphan"}, names)

	out := buildSample(t)
	lesson := read(t, out, "course/06-event-loops.html")
	assert.Contains(t, lesson, `rel="next" href="../course/exercises/06-sample-loop.html"`, "a lesson leads to its exercise")
	ex := read(t, out, "course/exercises/06-sample-loop.html")
	assert.Contains(t, ex, "<code>cd tutorials/exercises/06-sample-loop\ngo test ", "the test command comes from the folder")
	assert.Contains(t, ex, `rel="prev" href="../../course/06-event-loops.html"`)
}

// TestStampAndSource checks the footer of every page: the commit the site
// was built from (its date, not the clock's), and a link to the file a
// page is made from. Two builds of the same inputs give the same bytes.
func TestStampAndSource(t *testing.T) {
	cfg := sampleConfig(t)
	res, err := Build(cfg)
	require.NoError(t, err)
	v := repoVersion(repo)
	tcp := read(t, cfg.Out, "chapters/02-tcp.html")
	if v.Commit != "" {
		assert.Contains(t, tcp, "Built from commit <code>"+v.Commit+"</code> of "+v.Date+".")
	} else {
		assert.Contains(t, tcp, "Built outside a git checkout.")
	}
	assert.Contains(t, tcp, `Source: <a href="https://github.com/sockbook/sockbook/blob/main/notebooks/02-tcp.ipynb">`)
	assert.Contains(t, read(t, cfg.Out, "course/exercises/06-sample-loop.html"), `blob/main/tutorials/exercises/06-sample-loop/README.md"`)
	assert.Equal(t, version{}, repoVersion(t.TempDir()), "not a git checkout: no version")

	again := cfg
	again.Out = t.TempDir()
	_, err = Build(again)
	require.NoError(t, err)
	for _, p := range append(res.Pages, searchIndexFile, "assets/style.css", "assets/site.js") {
		assert.Equal(t, read(t, cfg.Out, p), read(t, again.Out, p), "%s: same inputs, same bytes", p)
	}
}

func TestCompactAssets(t *testing.T) {
	css := "/* a comment\n   over lines */\n.a {\n  content: \" (\" attr(href) \")\";\n}\n\n  .b { color: red; } /* after */\n"
	assert.Equal(t, ".a {\ncontent: \" (\" attr(href) \")\";\n}\n.b { color: red; }\n", string(compactCSS([]byte(css))))
	js := "(function () {\n  // why\n  var u = \"http://x\"; // kept: not a whole line\n\n  return u;\n})();\n"
	assert.Equal(t, "(function () {\nvar u = \"http://x\"; // kept: not a whole line\nreturn u;\n})();\n", string(compactScript([]byte(js))))
}
