package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/sockbook/sockbook/tools/site/sitegen"
)

// serve builds the site, serves it on addr and rebuilds when its sources
// change; pages opened in a browser reload after each rebuild. It returns
// when ctx ends.
func serve(ctx context.Context, cfg sitegen.Config, addr string, out io.Writer) error {
	cfg.LiveReload = true
	res, err := sitegen.Build(cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "site: built %d pages in %v\n", len(res.Pages), res.Duration.Round(time.Millisecond))

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("serve on %s: %w", addr, err)
	}
	reload := newBroadcast()
	srv := &http.Server{Handler: handler(cfg.Out, reload), ReadHeaderTimeout: 5 * time.Second}
	// Print the name the reader asked for (localhost), with the real port.
	host, _, _ := net.SplitHostPort(addr)
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	fmt.Fprintf(out, "site: serving http://%s/ (Ctrl-C stops)\n", net.JoinHostPort(host, port))

	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()

	bench := cfg.Benchmarks
	if bench == "" {
		bench = filepath.Join(cfg.Root, "tools", "bench", "results")
	}
	watchDirs := []string{filepath.Join(cfg.Root, "notebooks"), filepath.Join(cfg.Root, "tutorials"),
		filepath.Join(cfg.Root, "site"), filepath.Join(cfg.Root, "recipes", "recipes.tsv"), bench}
	last := snapshot(watchDirs)
	tick := time.NewTicker(400 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			reload.close()
			shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			_ = srv.Shutdown(shut)
			if err := <-done; !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		case err := <-done:
			return err
		case <-tick.C:
			now := snapshot(watchDirs)
			if now == last {
				continue
			}
			last = now
			res, err := sitegen.Build(cfg)
			if err != nil {
				// Keep serving the last good build; the error says what to fix.
				fmt.Fprintf(out, "site: rebuild failed: %v\n", err)
				continue
			}
			fmt.Fprintf(out, "site: rebuilt %d pages in %v\n", len(res.Pages), res.Duration.Round(time.Millisecond))
			reload.send()
		}
	}
}

// snapshot summarises names, sizes and modification times under paths.
func snapshot(paths []string) string {
	var b strings.Builder
	for _, p := range paths {
		_ = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) && path != p {
				return filepath.SkipDir
			}
			if info, err := d.Info(); err == nil && !d.IsDir() {
				fmt.Fprintf(&b, "%s %d %d\n", path, info.Size(), info.ModTime().UnixNano())
			}
			return nil
		})
	}
	return b.String()
}

// handler serves the site built in dir (see sitegen.Handler), uncached so
// a reload sees the rebuild, and streams reload events on /__livereload.
func handler(dir string, reload *broadcast) http.Handler {
	site := sitegen.Handler(dir)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/__livereload" {
			reload.serve(w, r)
			return
		}
		w.Header().Set("Cache-Control", "no-cache")
		site.ServeHTTP(w, r)
	})
}

// broadcast tells every connected page to reload.
type broadcast struct {
	mu      sync.Mutex
	clients map[chan struct{}]bool
	closed  bool
}

func newBroadcast() *broadcast { return &broadcast{clients: map[chan struct{}]bool{}} }

func (b *broadcast) send() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for c := range b.clients {
		select {
		case c <- struct{}{}:
		default:
		}
	}
}

func (b *broadcast) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	for c := range b.clients {
		close(c)
		delete(b.clients, c)
	}
}

// serve holds an event stream open until the page goes away or the
// server stops.
func (b *broadcast) serve(w http.ResponseWriter, r *http.Request) {
	c := make(chan struct{}, 1)
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	b.clients[c] = true
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		delete(b.clients, c)
		b.mu.Unlock()
	}()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	fl, _ := w.(http.Flusher)
	_, _ = io.WriteString(w, ": connected\n\n")
	if fl != nil {
		fl.Flush()
	}
	for {
		select {
		case <-r.Context().Done():
			return
		case _, ok := <-c:
			if !ok {
				return
			}
			_, _ = io.WriteString(w, "data: reload\n\n")
			if fl != nil {
				fl.Flush()
			}
		}
	}
}
