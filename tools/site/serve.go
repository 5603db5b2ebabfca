package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/sockbook/sockbook/tools/jupyter"
	"github.com/sockbook/sockbook/tools/kernel/kernelbin"
	"github.com/sockbook/sockbook/tools/site/live"
	"github.com/sockbook/sockbook/tools/site/sitegen"
)

// serveOptions are serve's settings beyond the site's.
type serveOptions struct {
	addr        string // host:port to listen on
	allowRemote bool   // listen on addr even if it is not loopback
	run         bool   // chapter pages run their cells in a kernel
	kernel      string // the kernel binary; "" builds one (kernelbin)
}

// serve builds the site, serves it on opts.addr and rebuilds when its
// sources change; pages opened in a browser reload after each rebuild.
// With opts.run, chapter pages get Run buttons backed by sockbook kernels
// (package live). It returns when ctx ends, after every kernel has stopped.
func serve(ctx context.Context, cfg sitegen.Config, opts serveOptions, out io.Writer) error {
	if err := checkLoopback(opts.addr, opts.allowRemote); err != nil {
		return err
	}
	bench := cfg.Benchmarks
	if bench == "" {
		bench = filepath.Join(cfg.Root, "tools", "bench", "results")
	}
	watchDirs := []string{filepath.Join(cfg.Root, "notebooks"), filepath.Join(cfg.Root, "tutorials"),
		filepath.Join(cfg.Root, "site"), filepath.Join(cfg.Root, "recipes", "recipes.tsv"),
		filepath.Join(cfg.Root, "recipes", "sheet"), bench}
	// The first snapshot comes before the first build, so that a change
	// made while the site builds or the server starts is still seen.
	last := snapshot(watchDirs)
	cfg.LiveReload = true
	res, err := sitegen.Build(cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "site: built %d pages in %v\n", len(res.Pages), res.Duration.Round(time.Millisecond))

	var spec jupyter.KernelSpec
	if opts.run {
		kernel := opts.kernel
		if kernel == "" {
			if kernel, err = kernelbin.BuildHere(ctx, out); err != nil {
				return fmt.Errorf("serve: the kernel for running cells (-run=false serves without): %w", err)
			}
		}
		if kernel, err = filepath.Abs(kernel); err != nil {
			return err
		}
		if _, err := os.Stat(kernel); err != nil {
			return fmt.Errorf("serve: -kernel: %w", err)
		}
		spec = kernelbin.Spec(kernel)
	}

	ln, err := net.Listen("tcp", opts.addr)
	if err != nil {
		return fmt.Errorf("serve on %s: %w", opts.addr, err)
	}
	host, _, _ := net.SplitHostPort(opts.addr)
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	hosts := servedHosts(host, port)
	reload := newBroadcast()
	site := sitegen.Handler(cfg.Out)
	var kernels *live.Server
	if opts.run {
		kernels, err = live.New(live.Config{Spec: spec, Hosts: hosts, Render: sitegen.RenderOutput})
		if err != nil {
			ln.Close()
			return err
		}
		defer kernels.Close()
		site = kernels.Pages(site)
	}
	srv := &http.Server{Handler: live.Guard(hosts, handler(site, kernels, reload)), ReadHeaderTimeout: 5 * time.Second}
	// Print the name the reader asked for (localhost), with the real port.
	fmt.Fprintf(out, "site: serving http://%s/ (Ctrl-C stops)\n", net.JoinHostPort(host, port))
	if opts.run {
		fmt.Fprintf(out, "site: chapter pages run their cells in sockbook kernels (at most %d at once)\n", live.DefaultMaxKernels)
	}

	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()

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

// checkLoopback refuses an address other than loopback unless allowed:
// the served pages run code on this machine.
func checkLoopback(addr string, allowRemote bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("serve: -addr %q: %w", addr, err)
	}
	if host == "localhost" || allowRemote {
		return nil
	}
	if ip, err := netip.ParseAddr(host); err == nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("serve: -addr %q is not a loopback address: pages served there would run code on this machine for anyone who can reach it; use localhost, or add -allow-remote if you mean it (the token is still required)", addr)
}

// servedHosts are the Host header values the server answers to.
func servedHosts(host, port string) []string {
	if host == "localhost" || host == "127.0.0.1" || host == "::1" {
		return []string{"localhost:" + port, "127.0.0.1:" + port, "[::1]:" + port}
	}
	return []string{strings.ToLower(net.JoinHostPort(host, port))}
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

// handler serves site uncached, so a reload sees the rebuild, the kernels'
// requests under live.Prefix (when kernels is not nil), and reload events
// on /__livereload.
func handler(site http.Handler, kernels *live.Server, reload *broadcast) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/__livereload" {
			reload.serve(w, r)
			return
		}
		if kernels != nil && strings.HasPrefix(r.URL.Path, live.Prefix) {
			kernels.ServeHTTP(w, r)
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
