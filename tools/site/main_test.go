package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// TestMain fails the run if a goroutine or a child process (a kernel that
// serve started) outlives the tests.
func TestMain(m *testing.M) {
	code := testenv.RunNoChildren(m)
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	os.Exit(code)
}

// tempRepo makes a repository root with the real templates and recipe table
// and no content.
func tempRepo(t *testing.T) string {
	root := t.TempDir()
	require.NoError(t, os.CopyFS(filepath.Join(root, "site"), os.DirFS(filepath.Join("..", "..", "site"))))
	require.NoError(t, os.MkdirAll(filepath.Join(root, "recipes"), 0o755))
	tsv, err := os.ReadFile(filepath.Join("..", "..", "recipes", "recipes.tsv"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(root, "recipes", "recipes.tsv"), tsv, 0o644))
	require.NoError(t, os.MkdirAll(filepath.Join(root, "notebooks"), 0o755))
	return root
}

func TestBuild(t *testing.T) {
	root := tempRepo(t)
	var out strings.Builder
	require.NoError(t, run(context.Background(), []string{"build", "-root", root}, &out))
	assert.Contains(t, out.String(), "site: built 5 pages")
	assert.FileExists(t, filepath.Join(root, "_site", "index.html"))
	assert.FileExists(t, filepath.Join(root, "_site", "cheatsheet.html"))
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{nil, {"bake"}, {"build", "extra"}, {"serve", "-port", "70000"}, {"build", "-nope"}} {
		err := run(context.Background(), args, io.Discard)
		assert.Error(t, err, "%q", args)
	}
}

// lineWriter hands each written line to a channel.
type lineWriter struct{ lines chan string }

func (w lineWriter) Write(p []byte) (int, error) {
	for _, l := range strings.Split(strings.TrimRight(string(p), "\n"), "\n") {
		w.lines <- l
	}
	return len(p), nil
}

func TestServeRebuildsAndReloads(t *testing.T) {
	root := tempRepo(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	lines := make(chan string, 100)
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "-root", root, "-port", "0"}, lineWriter{lines}) }()

	var base string
	for base == "" {
		select {
		case l := <-lines:
			if u, ok := strings.CutPrefix(l, "site: serving "); ok {
				base, _, _ = strings.Cut(u, " ")
			}
		case err := <-done:
			t.Fatalf("serve returned early: %v", err)
		case <-time.After(20 * time.Second):
			t.Fatal("serve printed no address")
		}
	}
	require.True(t, strings.HasPrefix(base, "http://localhost:"), base)

	resp, err := http.Get(base + "cheatsheet.html")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(body), `new EventSource("/__livereload")`, "served pages reload themselves")
	assert.Contains(t, string(body), `<script src="/__live/run.js" defer>`, "served pages get run controls")
	assert.Regexp(t, `<meta name="sockbook-token" content="[0-9a-f]{32}">`, string(body))
	static, err := os.ReadFile(filepath.Join(root, "_site", "cheatsheet.html"))
	require.NoError(t, err)
	assert.NotContains(t, string(static), "sockbook-token", "the build on disk stays static, without the token")

	resp, err = http.Get(base + "__live/run.js")
	require.NoError(t, err)
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(body), "X-Sockbook-Token")

	resp, err = http.Get(base + "no/such/page.html")
	require.NoError(t, err)
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.Contains(t, string(body), "Page not found")

	// Subscribe to reloads, then add a lesson: the site rebuilds and says so.
	events, err := http.Get(base + "__livereload")
	require.NoError(t, err)
	defer events.Body.Close()
	sc := bufio.NewScanner(events.Body)
	require.True(t, sc.Scan()) // ": connected"
	lesson := "---\ntitle: Added while serving\nchapter: 01-addresses\nrecipes: []\nminutes: 5\n---\n# Added while serving\n"
	require.NoError(t, os.MkdirAll(filepath.Join(root, "tutorials", "lessons"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(root, "tutorials", "lessons", "01-addresses.md"), []byte(lesson), 0o644))
	got := make(chan string, 1)
	go func() {
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "data:") {
				got <- sc.Text()
				return
			}
		}
	}()
	select {
	case ev := <-got:
		assert.Equal(t, "data: reload", ev)
	case <-time.After(20 * time.Second):
		var said []string
		for len(lines) > 0 {
			said = append(said, <-lines)
		}
		t.Fatalf("no reload event after a lesson was added; serve said: %q", said)
	}
	assert.FileExists(t, filepath.Join(root, "_site", "course", "01-addresses.html"))

	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop when its context ended")
	}
	events.Body.Close()
	http.DefaultClient.CloseIdleConnections()
}

func TestServeRefusesNonLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:8000", "[::]:8000", "192.0.2.1:8000", ":8000", "example.com:8000"} {
		err := run(context.Background(), []string{"serve", "-root", t.TempDir(), "-addr", addr}, io.Discard)
		require.Error(t, err, addr)
		assert.Contains(t, err.Error(), "is not a loopback address", addr)
	}
	for _, addr := range []string{"localhost:8000", "127.0.0.1:8000", "127.0.0.2:0", "[::1]:8000"} {
		assert.NoError(t, checkLoopback(addr, false), addr)
	}
	assert.NoError(t, checkLoopback("0.0.0.0:8000", true), "-allow-remote says the reader means it")
}
