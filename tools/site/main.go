// Command site builds sockbook's tutorial website from the notebooks, the
// course and site/ (templates and assets).
//
//	go run ./tools/site build [-out _site]
//	go run ./tools/site serve [-port 8000]
//
// build renders into _site/ at the repository root (ignored by git) or the
// folder given by -out. serve builds, serves the result on
// http://localhost:8000, rebuilds when a notebook, lesson, template or
// recipes.tsv changes, and reloads open pages. Served chapter pages run
// their cells in sockbook kernels (see package live); the static build has
// no run controls.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/sockbook/sockbook/tools/site/sitegen"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "site:", err)
		os.Exit(1)
	}
}

const usage = `usage: go run ./tools/site build [-out DIR] [-root DIR] [-base-url URL]
       go run ./tools/site serve [-port 8000 | -addr HOST:PORT [-allow-remote]] [-run=false] [-out DIR] [-root DIR]`

func run(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	cmd, args := args[0], args[1:]
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(out)
	root := fs.String("root", "", "repository root (default: found from the current directory)")
	outDir := fs.String("out", "", "output folder (default: _site at the repository root)")
	baseURL := fs.String("base-url", "", "address the site is published at, for sitemap.xml and the 404 page")
	port := fs.Int("port", 8000, "serve: port on localhost")
	addr := fs.String("addr", "", "serve: host:port to listen on instead of localhost:PORT; loopback only unless -allow-remote")
	allowRemote := fs.Bool("allow-remote", false, "serve: allow a non-loopback -addr (pages there run code on this machine)")
	runCells := fs.Bool("run", true, "serve: chapter pages run their cells in sockbook kernels")
	kernel := fs.String("kernel", "", "serve: kernel binary `file` for running cells (default: built, or taken from the cache)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q\n%s", fs.Arg(0), usage)
	}
	if *root == "" {
		var err error
		if *root, err = findRoot(); err != nil {
			return err
		}
	}
	if *outDir == "" {
		*outDir = filepath.Join(*root, "_site")
	}
	cfg := sitegen.Config{Root: *root, Out: *outDir, BaseURL: *baseURL}
	switch cmd {
	case "build":
		res, err := sitegen.Build(cfg)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "site: built %d pages in %v into %s\n", len(res.Pages), res.Duration.Round(1e6), cfg.Out)
		return nil
	case "serve":
		if *port < 0 || *port > 65535 {
			return fmt.Errorf("-port %d is not a TCP port", *port)
		}
		if *addr == "" {
			*addr = fmt.Sprintf("localhost:%d", *port)
		}
		return serve(ctx, cfg, serveOptions{addr: *addr, allowRemote: *allowRemote, run: *runCells, kernel: *kernel}, out)
	}
	return fmt.Errorf("unknown command %q\n%s", cmd, usage)
}

// findRoot walks up from the working directory to sockbook's go.mod.
func findRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && strings.Contains(string(data), "module github.com/sockbook/sockbook\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("not inside the sockbook repository (no go.mod of github.com/sockbook/sockbook above the working directory); use -root")
		}
		dir = parent
	}
}
