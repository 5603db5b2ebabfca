package sitegen

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/sockbook/sockbook/internal/chromium"
	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/recipes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// startBrowser starts one headless chromium for the test, with a fresh
// profile and without the background traffic a browser normally makes.
func startBrowser(t *testing.T) context.Context {
	return chromium.Start(t, testenv.ChromiumPath(t))
}

// tab opens a new tab that fails the test on console errors and on any
// request that leaves the machine.
type tab struct {
	ctx    context.Context
	mu     sync.Mutex
	errors []string
}

func newTab(t *testing.T, browserCtx context.Context) *tab {
	ctx, cancel := chromedp.NewContext(browserCtx)
	// A bound on a hung page, not a speed goal: the accessibility test
	// visits every page of the site in one tab, and CI machines are busy.
	ctx, cancelTimeout := context.WithTimeout(ctx, 5*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancel() })
	tb := &tab{ctx: ctx}
	require.NoError(t, chromedp.Do(ctx))
	_, err := chromedp.Call(ctx, network.Enable, network.EnableParams{})
	require.NoError(t, err)
	// Tabs opened one after another are not all focused; the clipboard
	// wants a focused document.
	_, err = chromedp.Call(ctx, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true})
	require.NoError(t, err)
	console := chromedp.Console(ctx)
	requests := chromedp.Events(ctx, network.RequestWillBeSent)
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
				tb.mu.Lock()
				tb.errors = append(tb.errors, m.String())
				tb.mu.Unlock()
			}
		}
	}()
	go func() {
		for ev, err := range requests {
			if err != nil {
				return
			}
			u, perr := url.Parse(ev.Request.URL)
			if perr == nil && (u.Scheme == "file" || u.Scheme == "data" || u.Scheme == "blob" || u.Hostname() == "127.0.0.1") {
				continue
			}
			tb.mu.Lock()
			tb.errors = append(tb.errors, "request leaves the site: "+ev.Request.URL)
			tb.mu.Unlock()
		}
	}()
	return tb
}

// takeErrors returns and forgets the console errors seen so far.
func (tb *tab) takeErrors() []string {
	time.Sleep(50 * time.Millisecond) // let the event goroutines catch up
	tb.mu.Lock()
	defer tb.mu.Unlock()
	e := tb.errors
	tb.errors = nil
	return e
}

func (tb *tab) do(t *testing.T, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	require.NoError(t, chromedp.Do(tb.ctx, actions...))
}

// js evaluates expr, whose value is decoded into T.
func js[T any](t *testing.T, tb *tab, expr string) T {
	t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	require.NoError(t, err, expr)
	return v
}

// waitFor polls the predicate expr until it is true.
func waitFor(t *testing.T, tb *tab, expr string) {
	t.Helper()
	_, err := chromedp.Run(tb.ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(10*time.Second), chromedp.WithPollingInterval(30*time.Millisecond)))
	require.NoError(t, err, "waiting for %s", expr)
}

// navigateByClick clicks sel and waits for the page it leads to.
func navigateByClick(t *testing.T, tb *tab, sel string) {
	t.Helper()
	_, err := chromedp.Run(tb.ctx, chromedp.WaitEvent(cdppage.LoadEventFired, nil, chromedp.Click(sel)))
	require.NoError(t, err, "click %s", sel)
}

// pressSlash presses "/" the way a browser delivers it when the page
// cancels the keydown: chromedp.KeyEvent would also send the character,
// which would land in the search box the keydown just focused.
func pressSlash(t *testing.T, tb *tab) {
	t.Helper()
	for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeRawKeyDown, input.DispatchKeyEventTypeKeyUp} {
		_, err := chromedp.Call(tb.ctx, input.DispatchKeyEvent, input.DispatchKeyEventParams{
			Type: typ, Key: "/", Code: "Slash", WindowsVirtualKeyCode: 191, NativeVirtualKeyCode: 191})
		require.NoError(t, err)
	}
}

func setColorScheme(t *testing.T, tb *tab, scheme string) {
	t.Helper()
	_, err := chromedp.Call(tb.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}})
	require.NoError(t, err)
}

// subPath is where the browser tests publish the site, as a project page
// would be: links must work below the server's root.
const subPath = "/docs/sockbook/"

// publishedConfig is cfg for a site served at subPath: the 404 page needs
// to know it.
func publishedConfig(cfg Config) Config {
	cfg.BaseURL = "http://127.0.0.1" + subPath
	return cfg
}

// serveSite serves a built site on 127.0.0.1 under subPath, answering
// missing pages with 404.html as static hosts do.
func serveSite(t *testing.T, dir string) string {
	mux := http.NewServeMux()
	mux.Handle(subPath, http.StripPrefix(subPath, Handler(dir)))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL + subPath
}

// missingPage is a URL path, below subPath, that no build has; the server
// answers it with the 404 page.
const missingPage = "chapters/gone/away.html"

// withoutNotFound drops the console's report of the 404 status itself.
func withoutNotFound(errs []string) []string {
	var out []string
	for _, e := range errs {
		if !strings.Contains(e, "status of 404") {
			out = append(out, e)
		}
	}
	return out
}

const (
	lightBG = "rgb(255, 255, 255)"
	darkBG  = "rgb(13, 17, 23)"
)

func TestBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are slow; not with -short")
	}
	t.Parallel() // each starts its own browser
	bctx := startBrowser(t)
	cfg := publishedConfig(sampleConfig(t))
	res, err := Build(cfg)
	require.NoError(t, err)
	out := cfg.Out
	base := serveSite(t, out)

	t.Run("search finds epoll and goes there", func(t *testing.T) {
		tb := newTab(t, bctx)
		tb.do(t, chromedp.Navigate(base+"index.html"), chromedp.WaitVisible(".search-button"))
		pressSlash(t, tb)
		waitFor(t, tb, `document.querySelector("dialog.search").open`)
		tb.do(t, chromedp.SendKeys("#search-input", "epoll"))
		waitFor(t, tb, `[...document.querySelectorAll(".search-results a")].some(a => a.textContent.startsWith("Epoll server"))`)
		first := js[string](t, tb, `document.querySelector(".search-results a").getAttribute("href")`)
		assert.Equal(t, "chapters/06-event-loops.html#epoll-server", first, "the recipe heading ranks first")
		_, err := chromedp.Run(tb.ctx, chromedp.WaitEvent(cdppage.LoadEventFired, nil, chromedp.KeyEvent("\r")))
		require.NoError(t, err)
		assert.True(t, js[bool](t, tb, `location.href.endsWith("/chapters/06-event-loops.html#epoll-server")`))
		top := js[float64](t, tb, `document.getElementById("epoll-server").getBoundingClientRect().top`)
		assert.Less(t, top, 200.0, "the page is scrolled to the recipe")
		assert.Empty(t, tb.takeErrors())
	})

	t.Run("section links and the current section", func(t *testing.T) {
		tb := newTab(t, bctx)
		tb.do(t, chromedp.EmulateViewport(1280, 500), chromedp.Navigate(base+"chapters/06-event-loops.html"), chromedp.WaitVisible(".theme-button"))
		assert.Equal(t, "#select-server", js[string](t, tb, `document.querySelector("#select-server .anchor").getAttribute("href")`), "¶ link")
		js[bool](t, tb, `(document.getElementById("select-server").scrollIntoView(), true)`)
		waitFor(t, tb, `(document.querySelector(".toc a[aria-current]") || {}).hash === "#select-server"`)
		assert.Empty(t, tb.takeErrors())
	})

	t.Run("dark toggle changes the background and survives a reload", func(t *testing.T) {
		tb := newTab(t, bctx)
		setColorScheme(t, tb, "light")
		tb.do(t, chromedp.Navigate(base+"chapters/02-tcp.html"), chromedp.WaitVisible(".theme-button"))
		bg := `getComputedStyle(document.body).backgroundColor`
		assert.Equal(t, lightBG, js[string](t, tb, bg))
		tb.do(t, chromedp.Click(".theme-button"))
		assert.Equal(t, darkBG, js[string](t, tb, bg))
		assert.Equal(t, "true", js[string](t, tb, `document.querySelector(".theme-button").getAttribute("aria-pressed")`))
		tb.do(t, chromedp.Reload(), chromedp.WaitVisible(".theme-button"))
		assert.Equal(t, darkBG, js[string](t, tb, bg), "the choice is remembered")
		tb.do(t, chromedp.Click(".theme-button"))
		assert.Equal(t, lightBG, js[string](t, tb, bg))

		// With no choice stored, the page follows the system.
		js[any](t, tb, `localStorage.removeItem("sockbook-theme"), null`)
		setColorScheme(t, tb, "dark")
		tb.do(t, chromedp.Reload(), chromedp.WaitVisible(".theme-button"))
		assert.Equal(t, darkBG, js[string](t, tb, bg), "prefers-color-scheme: dark is followed")
		assert.Empty(t, tb.takeErrors())
	})

	t.Run("copy button confirms and copies", func(t *testing.T) {
		tb := newTab(t, bctx)
		u, err := url.Parse(base)
		require.NoError(t, err)
		origin := u.Scheme + "://" + u.Host
		for _, name := range []string{"clipboard-read", "clipboard-write"} {
			_, err := chromedp.CallBrowser(tb.ctx, browser.SetPermission, browser.SetPermissionParams{
				Permission: &browser.PermissionDescriptor{Name: name}, Setting: browser.PermissionSettingGranted, Origin: origin})
			require.NoError(t, err)
		}
		tb.do(t, chromedp.Navigate(base+"chapters/02-tcp.html"), chromedp.WaitReady(".cell.code-cell .copy"))
		assert.Equal(t, js[int](t, tb, `document.querySelectorAll("div.code").length`), js[int](t, tb, `document.querySelectorAll(".copy").length`), "one copy button per code block")
		tb.do(t, chromedp.Click(".cell.code-cell .copy"))
		waitFor(t, tb, `document.querySelector(".cell.code-cell .copy").textContent === "Copied"`)
		got := js[string](t, tb, `navigator.clipboard.readText()`)
		assert.Equal(t, "ln, err := net.Listen(\"tcp\", \"127.0.0.1:0\")\nfmt.Println(err)", got)
		assert.Empty(t, tb.takeErrors())
	})

	t.Run("prev and next", func(t *testing.T) {
		tb := newTab(t, bctx)
		tb.do(t, chromedp.Navigate(base+"chapters/02-tcp.html"))
		navigateByClick(t, tb, "a[rel=next]")
		assert.True(t, js[bool](t, tb, `location.pathname.endsWith("/chapters/06-event-loops.html")`))
		navigateByClick(t, tb, "a[rel=prev]")
		assert.True(t, js[bool](t, tb, `location.pathname.endsWith("/chapters/02-tcp.html")`))
		navigateByClick(t, tb, "a[rel=prev]")
		// http.FileServer answers /index.html with a redirect to /.
		assert.True(t, js[bool](t, tb, `location.pathname === "/docs/sockbook/" || location.pathname.endsWith("/index.html")`))
		assert.Empty(t, tb.takeErrors())
	})

	t.Run("benchmark charts load on a white panel in both themes", func(t *testing.T) {
		tb := newTab(t, bctx)
		for _, scheme := range []string{"light", "dark"} {
			setColorScheme(t, tb, scheme)
			tb.do(t, chromedp.Navigate(base+"benchmarks.html"), chromedp.WaitVisible("img.chart"))
			waitFor(t, tb, `[...document.images].every(i => i.complete)`)
			assert.Equal(t, 2, js[int](t, tb, `document.querySelectorAll("img.chart").length`))
			assert.Zero(t, js[int](t, tb, `[...document.querySelectorAll("img.chart")].filter(i => i.naturalWidth === 0).length`), "%s: a chart did not load", scheme)
			assert.Equal(t, lightBG, js[string](t, tb, `getComputedStyle(document.querySelector("img.chart")).backgroundColor`), scheme)
		}
		assert.Equal(t, darkBG, js[string](t, tb, `getComputedStyle(document.body).backgroundColor`), "the page itself is dark")
		assert.Empty(t, tb.takeErrors())
	})

	t.Run("quiz and lesson done", func(t *testing.T) {
		tb := newTab(t, bctx)
		tb.do(t, chromedp.Navigate(base+"course/06-event-loops.html"), chromedp.WaitVisible(".lesson-done"))
		// Clicks are dispatched on the elements themselves: a pointer click
		// at coordinates can land on the sticky header when the answer has
		// just been scrolled under it, which made this test flaky.
		js[bool](t, tb, `document.querySelector(".quiz-a.wrong summary").click(), true`)
		waitFor(t, tb, `document.querySelector(".quiz-a.wrong").open`)
		js[bool](t, tb, `document.querySelector(".quiz-a.right summary").click(), true`)
		// The toggle event that closes the other answer is queued.
		waitFor(t, tb, `!document.querySelector(".quiz-a.wrong").open`)
		tb.do(t, chromedp.Click(".lesson-done input"), chromedp.Reload(), chromedp.WaitVisible(".lesson-done"))
		assert.True(t, js[bool](t, tb, `document.querySelector(".lesson-done input").checked`))
		assert.Empty(t, tb.takeErrors())
	})

	t.Run("works from file://", func(t *testing.T) {
		tb := newTab(t, bctx)
		abs, err := filepath.Abs(out)
		require.NoError(t, err)
		tb.do(t, chromedp.Navigate("file://"+abs+"/chapters/02-tcp.html"), chromedp.WaitVisible(".search-button"))
		assert.Equal(t, "sticky", js[string](t, tb, `getComputedStyle(document.querySelector(".top")).position`), "the style sheet loads")
		pressSlash(t, tb)
		tb.do(t, chromedp.SendKeys("#search-input", "select server"))
		waitFor(t, tb, `document.querySelectorAll(".search-results a").length > 0`)
		_, err = chromedp.Run(tb.ctx, chromedp.WaitEvent(cdppage.LoadEventFired, nil, chromedp.KeyEvent("\r")))
		require.NoError(t, err)
		assert.Equal(t, "file://"+abs+"/chapters/06-event-loops.html#select-server", js[string](t, tb, `location.href`))
		assert.Empty(t, tb.takeErrors())
	})

	t.Run("download notebook from file:// saves the file", func(t *testing.T) {
		tb := newTab(t, bctx)
		abs, err := filepath.Abs(out)
		require.NoError(t, err)
		dl := t.TempDir()
		_, err = chromedp.CallBrowser(tb.ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
			Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dl})
		require.NoError(t, err)
		tb.do(t, chromedp.Navigate("file://"+abs+"/chapters/02-tcp.html"), chromedp.WaitVisible(".theme-button"))
		js[bool](t, tb, `(document.querySelector("a[download]").click(), true)`)
		want, err := os.ReadFile(filepath.Join(out, "notebooks", "02-tcp.ipynb"))
		require.NoError(t, err)
		var got []byte
		require.Eventually(t, func() bool {
			got, err = os.ReadFile(filepath.Join(dl, "02-tcp.ipynb"))
			return err == nil && len(got) == len(want)
		}, 10*time.Second, 50*time.Millisecond, "the notebook lands in the download folder")
		assert.Equal(t, string(want), string(got))
		assert.True(t, js[bool](t, tb, `location.pathname.endsWith("/chapters/02-tcp.html")`), "the page stays; no raw JSON is shown")
		assert.Empty(t, tb.takeErrors())
	})

	t.Run("no console errors, no overflow at 360px, screenshots", func(t *testing.T) {
		shots := filepath.Join(repo, "_site-shots")
		require.NoError(t, os.MkdirAll(shots, 0o755))
		tb := newTab(t, bctx)
		for _, p := range append(res.Pages, missingPage) {
			tb.do(t, chromedp.EmulateViewport(360, 740), chromedp.Navigate(base+p), chromedp.WaitVisible(".theme-button"))
			w := js[int](t, tb, `document.documentElement.scrollWidth`)
			assert.LessOrEqual(t, w, 360, "%s scrolls sideways at 360 px", p)
			assert.Empty(t, withoutNotFound(tb.takeErrors()), p)
		}
		assert.Equal(t, "Page not found — sockbook", js[string](t, tb, `document.title`))
		for _, shot := range []struct {
			name, page, scheme string
			width, height      int64
			full               bool
		}{
			{"home-light", "index.html", "light", 1280, 900, false},
			{"home-dark", "index.html", "dark", 1280, 900, false},
			{"chapter-light", "chapters/02-tcp.html", "light", 1280, 900, false},
			{"chapter-dark", "chapters/02-tcp.html", "dark", 1280, 900, false},
			{"lesson-light", "course/06-event-loops.html", "light", 1280, 900, false},
			{"chapter-mobile-dark", "chapters/02-tcp.html", "dark", 360, 740, false},
			{"chapter-full-light", "chapters/02-tcp.html", "light", 1280, 900, true},
			{"cheatsheet-dark", "cheatsheet.html", "dark", 1280, 900, false},
			{"benchmarks-light", "benchmarks.html", "light", 1280, 900, true},
			{"benchmarks-dark", "benchmarks.html", "dark", 1280, 900, true},
		} {
			setColorScheme(t, tb, shot.scheme)
			tb.do(t, chromedp.EmulateViewport(shot.width, shot.height), chromedp.Navigate(base+shot.page), chromedp.WaitVisible(".theme-button"))
			shoot := chromedp.CaptureScreenshot()
			if shot.full {
				shoot = chromedp.FullScreenshot(100) // 100: PNG
			}
			png, err := chromedp.Run(tb.ctx, shoot)
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join(shots, shot.name+".png"), png, 0o644))
		}
	})
}

// TestAccessibility runs axe-core on every page of the sample site and of
// the site built from the repository as it is, in both themes, and fails
// on serious or critical violations.
func TestAccessibility(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are slow; not with -short")
	}
	t.Parallel() // each starts its own browser
	bctx := startBrowser(t)
	axe := chromium.AxeSource(t)
	for _, site := range []struct {
		name string
		cfg  Config
	}{
		{"sample", publishedConfig(sampleConfig(t))},
		{"repository", publishedConfig(Config{Root: repo, Out: t.TempDir()})},
	} {
		res, err := Build(site.cfg)
		require.NoError(t, err)
		base := serveSite(t, site.cfg.Out)
		for _, scheme := range []string{"light", "dark"} {
			t.Run(site.name+"/"+scheme, func(t *testing.T) {
				t.Parallel() // one tab each; the renderers use every core
				tb := newTab(t, bctx)
				setColorScheme(t, tb, scheme)
				for _, p := range append(res.Pages, missingPage) {
					tb.do(t, chromedp.Navigate(base+p), chromedp.WaitVisible(".theme-button"))
					// The themes share their markup: the dark pass checks colours only.
					for _, v := range chromium.RunAxe(t, tb.ctx, axe, scheme == "dark") {
						if v.Impact == "serious" || v.Impact == "critical" {
							t.Errorf("%s (%s theme): %s %s: %s at %v", p, scheme, v.Impact, v.ID, v.Help, v.Nodes)
						}
					}
					assert.Empty(t, withoutNotFound(tb.takeErrors()), p)
				}
			})
		}
	}
}

// TestSearchRepository searches the site built from the repository, from
// file:// as a reader who downloaded it would: each term leads first to
// the section that teaches it, the index stays within its budget, and a
// query takes at most 10 ms in the browser.
func TestSearchRepository(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are slow; not with -short")
	}
	t.Parallel()
	bctx := startBrowser(t)
	cfg := Config{Root: repo, Out: t.TempDir()}
	_, err := Build(cfg)
	require.NoError(t, err)
	st, err := os.Stat(filepath.Join(cfg.Out, searchIndexFile))
	require.NoError(t, err)
	assert.LessOrEqual(t, st.Size(), int64(400_000), "search index")
	abs, err := filepath.Abs(cfg.Out)
	require.NoError(t, err)
	tb := newTab(t, bctx)
	tb.do(t, chromedp.Navigate("file://"+abs+"/index.html"), chromedp.WaitVisible(".search-button"))
	pressSlash(t, tb)
	waitFor(t, tb, `document.querySelector("dialog.search").open && !!window.sockbookSearch`)
	for term, want := range map[string]string{
		"SO_REUSEADDR":    "chapters/02-tcp.html#tcp-echo",
		"htons":           "chapters/01-addresses.html#byte-order",
		"setsockopt":      "chapters/02-tcp.html#dual-stack",
		"net.Listen":      "chapters/02-tcp.html#tcp-echo",
		"copy_file_range": "chapters/07-sendfile.html#sendfile-copy",
	} {
		js[bool](t, tb, `(document.getElementById("search-input").value = "", true)`)
		tb.do(t, chromedp.SendKeys("#search-input", term))
		waitFor(t, tb, `document.querySelectorAll(".search-results a").length > 0`)
		assert.Equal(t, want, js[string](t, tb, `document.querySelector(".search-results a").getAttribute("href")`), term)
		assert.Equal(t, strings.ToLower(term), js[string](t, tb, `(document.querySelector(".search-results a mark") || {textContent: ""}).textContent.toLowerCase()`),
			"%s: the snippet highlights the match", term)
		// Time the engine itself, warm, over many runs: what a keystroke costs.
		ms := js[float64](t, tb, `(() => { window.sockbookQuery(`+strconv.Quote(term)+`); const n = 50, t0 = performance.now();
			for (let i = 0; i < n; i++) window.sockbookQuery(`+strconv.Quote(term)+`); return (performance.now() - t0) / n; })()`)
		t.Logf("%s: %.2f ms per query", term, ms)
		assert.LessOrEqual(t, ms, 10.0, "%s: query time", term)
	}
	// Keyboard: arrow down selects the second hit, Enter opens it.
	js[bool](t, tb, `(document.getElementById("search-input").value = "", true)`)
	tb.do(t, chromedp.SendKeys("#search-input", "socketpair"))
	waitFor(t, tb, `document.querySelectorAll(".search-results a").length > 1`)
	assert.NotContains(t, js[string](t, tb, `document.querySelector(".search-results").innerText`), "&ldquo;", "no double-escaped entity in results")
	second := js[string](t, tb, `document.querySelectorAll(".search-results a")[1].href`)
	tb.do(t, chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowDown))
	_, err = chromedp.Run(tb.ctx, chromedp.WaitEvent(cdppage.LoadEventFired, nil, chromedp.KeyEvent("\r")))
	require.NoError(t, err)
	assert.Equal(t, second, js[string](t, tb, `location.href`))
	assert.Empty(t, tb.takeErrors())
}

// TestAnchorsOnPhone opens every recipe anchor of the repository's site at
// phone width, where the header wraps: the heading must be below the
// header, inside the viewport. Every page is also held to the viewport's
// width at 360 px.
func TestAnchorsOnPhone(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are slow; not with -short")
	}
	t.Parallel()
	bctx := startBrowser(t)
	cfg := publishedConfig(Config{Root: repo, Out: t.TempDir()})
	res, err := Build(cfg)
	require.NoError(t, err)
	base := serveSite(t, cfg.Out)
	rs, err := loadRecipes(repo)
	require.NoError(t, err)
	tb := newTab(t, bctx)
	tb.do(t, chromedp.EmulateViewport(390, 844))
	checked := 0
	for _, r := range rs {
		page := "chapters/" + r.Chapter + ".html"
		if _, err := os.Stat(filepath.Join(cfg.Out, "chapters", r.Chapter+".html")); err != nil {
			continue
		}
		tb.do(t, chromedp.Navigate(base+"index.html"), chromedp.Navigate(base+page+"#"+r.Slug), chromedp.WaitVisible(".theme-button"))
		// Same-page jumps too: the sidebar's links are how a reader moves.
		for _, how := range []string{"load", "jump"} {
			if how == "jump" {
				js[bool](t, tb, `(window.scrollTo(0, 0), location.hash = "", location.hash = `+strconv.Quote(r.Slug)+`, true)`)
			}
			waitFor(t, tb, `document.readyState === "complete"`)
			got := js[[]float64](t, tb, `(() => { const h = document.getElementById(`+strconv.Quote(r.Slug)+`).getBoundingClientRect();
				return [h.top, document.querySelector(".top").getBoundingClientRect().bottom, window.innerHeight]; })()`)
			assert.GreaterOrEqual(t, got[0], got[1], "%s#%s (%s): the heading is under the header", page, r.Slug, how)
			assert.Less(t, got[0], got[2]-40, "%s#%s (%s): the heading is in view", page, r.Slug, how)
		}
		checked++
	}
	assert.NotZero(t, checked)
	tb.do(t, chromedp.EmulateViewport(360, 740))
	for _, p := range res.Pages {
		tb.do(t, chromedp.Navigate(base+p), chromedp.WaitVisible(".theme-button"))
		assert.LessOrEqual(t, js[int](t, tb, `document.documentElement.scrollWidth`), 360, "%s scrolls sideways at 360 px", p)
	}
	assert.Empty(t, tb.takeErrors())
}

// codeOverflow is a script counting the code blocks and outputs of a page
// that scroll sideways.
const codeOverflow = `[...document.querySelectorAll(".code pre, .output pre")].filter(p => p.scrollWidth > p.clientWidth + 1).length`

// TestCodeFits opens every chapter of the repository's site at 1280 and
// 1920 px: no code block or output may scroll sideways, and copying a
// wrapped block still gives its source.
func TestCodeFits(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are slow; not with -short")
	}
	t.Parallel()
	bctx := startBrowser(t)
	cfg := publishedConfig(Config{Root: repo, Out: t.TempDir()})
	res, err := Build(cfg)
	require.NoError(t, err)
	base := serveSite(t, cfg.Out)
	tb := newTab(t, bctx)
	for _, width := range []int64{1280, 1920} {
		tb.do(t, chromedp.EmulateViewport(width, 900))
		total := 0
		for _, p := range res.Pages {
			if !strings.HasPrefix(p, "chapters/") && p != "cheatsheet.html" {
				continue
			}
			tb.do(t, chromedp.Navigate(base+p), chromedp.WaitVisible(".theme-button"))
			n := js[int](t, tb, codeOverflow)
			total += n
			assert.Zero(t, n, "%s at %d px: code blocks that scroll sideways", p, width)
			// The copy button copies innerText; the wrapped lines' spans
			// must not add line breaks to it.
			assert.Zero(t, js[int](t, tb, `[...document.querySelectorAll(".code pre")].filter(p => p.checkVisibility() && p.innerText.replace(/\n$/, "") !== p.textContent.replace(/\n$/, "")).length`),
				"%s at %d px: a block whose copied text is not its source", p, width)
		}
		t.Logf("%d px: %d code blocks scroll sideways", width, total)
	}
	// A wrapped line continues further in than it starts, after a mark,
	// and starts where a line that fits with the same indentation does.
	tb.do(t, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(base+"chapters/06-event-loops.html"), chromedp.WaitVisible(".theme-button"))
	got := js[[]float64](t, tb, `(() => {
		const at = (node, i) => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1); return r.getBoundingClientRect().left; };
		const w = [...document.querySelectorAll("code > .w1")].find(s => s.getClientRects()[0].height > 30);
		const texts = document.createTreeWalker(w, NodeFilter.SHOW_TEXT);
		let n, start;
		while ((n = texts.nextNode()) && start === undefined) { const i = n.data.search(/[^\t ]/); if (i >= 0) start = at(n, i); }
		let plain;
		for (const c of w.closest("code").childNodes) {
			const m = c.nodeType === 3 && c.data.match(/\n\t[^\t\n]/);
			if (m) { plain = at(c, m.index + 2); break; }
		}
		const r = document.createRange(); r.selectNodeContents(w); const rects = [...r.getClientRects()];
		return [start, plain, rects[rects.length - 1].left - rects[0].left, parseFloat(getComputedStyle(w, "::before").left)]; })()`)
	assert.InDelta(t, got[1], got[0], 1, "a line that may wrap starts where its indentation says")
	assert.Greater(t, got[2], 0.0, "the continuation is indented past the line's start")
	assert.Greater(t, got[3], 0.0, "the mark sits in the line's indentation")
	assert.Empty(t, tb.takeErrors())
}

// pdfPages counts the pages of a PDF that chromium printed.
func pdfPages(pdf []byte) int {
	return len(regexp.MustCompile(`/Type\s*/Page\b`).FindAll(pdf, -1))
}

// TestPrint prints the cheat sheet and the whole book of the repository's
// site as chromium prints to PDF, on A4, into _site-shots: the cheat
// sheet fits a few pages,
// the book has every chapter, and in print no code is cut off and no
// navigation or control shows.
func TestPrint(t *testing.T) {
	if testing.Short() {
		t.Skip("browser tests are slow; not with -short")
	}
	t.Parallel()
	bctx := startBrowser(t)
	cfg := publishedConfig(Config{Root: repo, Out: t.TempDir()})
	_, err := Build(cfg)
	require.NoError(t, err)
	base := serveSite(t, cfg.Out)
	rs, err := loadRecipes(repo)
	require.NoError(t, err)
	shots := filepath.Join(repo, "_site-shots")
	require.NoError(t, os.MkdirAll(shots, 0o755))
	tb := newTab(t, bctx)
	pages := map[string]int{}
	for _, p := range []string{"cheatsheet.html", bookPath} {
		tb.do(t, chromedp.Navigate(base+p), chromedp.WaitVisible(".theme-button"))
		yes, no := true, false
		res, err := chromedp.Call(tb.ctx, cdppage.PrintToPDF, cdppage.PrintToPDFParams{
			PaperWidth: 8.27, PaperHeight: 11.69, PrintBackground: &yes, GenerateTaggedPDF: &no})
		require.NoError(t, err, p)
		pdf := res.Data
		pages[p] = pdfPages(pdf)
		require.NoError(t, os.WriteFile(filepath.Join(shots, strings.TrimSuffix(p, ".html")+".pdf"), pdf, 0o644))
		t.Logf("%s: %d A4 pages, %d bytes of PDF", p, pages[p], len(pdf))
	}
	assert.LessOrEqual(t, pages["cheatsheet.html"], 10, "the cheat sheet prints on a few pages")
	assert.GreaterOrEqual(t, pages[bookPath], len(recipes.Chapters(rs)), "each chapter starts a page")

	_, err = chromedp.Call(tb.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
	require.NoError(t, err)
	// 718 px: an A4 page's printable width at 96 dpi.
	tb.do(t, chromedp.EmulateViewport(718, 1000))
	for _, p := range []string{"cheatsheet.html", bookPath} {
		tb.do(t, chromedp.Navigate(base+p), chromedp.WaitReady("main"))
		assert.Zero(t, js[int](t, tb, codeOverflow), "%s in print: code cut off", p)
		for _, sel := range []string{".top", ".sidebar", ".toc", ".pager", ".copy", ".search-button"} {
			assert.Zero(t, js[int](t, tb, `[...document.querySelectorAll(`+strconv.Quote(sel)+`)].filter(e => e.getClientRects().length > 0).length`), "%s in print: %s shows", p, sel)
		}
		assert.Equal(t, js[string](t, tb, `getComputedStyle(document.body).color`),
			js[string](t, tb, `getComputedStyle(document.querySelector("main p a, main li a")).color`), "%s in print: links read as text", p)
	}
	assert.Empty(t, tb.takeErrors())
}
