// Command notebooks runs sockbook's notebooks through the sockbook kernel
// and checks their stored outputs, or with -update stores new ones.
//
//	go run ./tools/notebooks                  # check every notebooks/*.ipynb
//	go run ./tools/notebooks 02-tcp           # check notebooks/02-tcp.ipynb
//	go run ./tools/notebooks -update 02-tcp   # re-run it and store its outputs
//	go run ./tools/notebooks -vm 08-afalg     # check it inside a qemu guest
//	go run ./tools/notebooks -vm -update 08-afalg
//
// With -vm the notebooks run inside a throwaway Linux kernel booted by
// tools/vmtest, whose kernel offers what this machine's may not (AF_ALG):
// there a cell skipped for an unmet requirement is a failure, and with
// -update the outputs stored are the guest's.
//
// It is what `go run build.go notebooks` runs. The kernel is built first
// (or taken from the cache when its sources have not changed).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/sockbook/sockbook/tools/kernel/kernelbin"
	"github.com/sockbook/sockbook/tools/nbrun"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "notebooks:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("notebooks", flag.ContinueOnError)
	update := fs.Bool("update", false, "store the new outputs instead of comparing")
	timeout := fs.Duration("timeout", nbrun.DefaultCellTimeout, "time limit for each cell")
	parallel := fs.Int("parallel", 2, "notebooks run at once, each in its own kernel")
	inVM := fs.Bool("vm", false, "run the notebooks inside a qemu guest (tools/vmtest)")
	kernelPath := fs.String("kernel", "", "use this kernel `binary` instead of building one (as inside the guest)")
	strict := fs.Bool("strict", false, "fail on a cell skipped for an unmet requirement (as inside the guest)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: notebooks [-update] [-vm] [-timeout d] [-parallel n] [name|file.ipynb ...]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	var moduleDir string
	if *kernelPath == "" || !allFiles(fs.Args()) {
		var err error
		if moduleDir, err = kernelbin.ModuleDir(ctx); err != nil {
			return err
		}
	}
	paths, err := notebookPaths(moduleDir, fs.Args())
	if err != nil {
		return err
	}
	if len(paths) == 0 {
		fmt.Fprintln(out, "no notebooks yet under notebooks/")
		return nil
	}
	kernel := *kernelPath
	if kernel == "" {
		if kernel, err = kernelbin.Build(ctx, moduleDir, os.Stderr); err != nil {
			return fmt.Errorf("building the kernel: %w", err)
		}
	}
	if *inVM {
		return runInVM(ctx, vmRun{moduleDir: moduleDir, kernel: kernel, paths: paths, update: *update, cellTimeout: *timeout}, out)
	}
	spec := kernelbin.Spec(kernel)

	type report struct {
		path    string
		results []nbrun.CellResult
		err     error
		took    time.Duration
	}
	reports := make([]report, len(paths))
	sem := make(chan struct{}, max(1, *parallel))
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			start := time.Now()
			res, err := nbrun.RunFile(ctx, p, spec, nbrun.Options{Update: *update, CellTimeout: *timeout}, os.Stderr)
			reports[i] = report{p, res, err, time.Since(start)}
		})
	}
	wg.Wait()

	failed := 0
	for _, r := range reports {
		rel, err := filepath.Rel(moduleDir, r.path)
		if moduleDir == "" || err != nil {
			// Inside the guest there is no module: the name says enough.
			rel = filepath.Base(r.path)
		}
		if r.err != nil {
			failed++
			fmt.Fprintf(out, "FAIL %s: %v\n", rel, r.err)
			continue
		}
		var passed, skipped, bad int
		for i, c := range r.results {
			if *strict && c.Status == nbrun.Skipped && strings.HasPrefix(c.Reason, "requires ") {
				c.Status = nbrun.Failed
				c.Reason = "-strict: skipped, " + c.Reason
				r.results[i] = c
			}
			switch c.Status {
			case nbrun.Passed:
				passed++
			case nbrun.Skipped:
				skipped++
			case nbrun.Failed:
				bad++
			}
		}
		verdict := "ok  "
		if bad > 0 {
			verdict = "FAIL"
			failed++
		}
		fmt.Fprintf(out, "%s %s: %d passed, %d failed, %d skipped (%.1fs)\n", verdict, rel, passed, bad, skipped, r.took.Seconds())
		for _, c := range r.results {
			if c.Status == nbrun.Passed {
				continue
			}
			fmt.Fprintf(out, "     %s %s: %s\n", c.Status, c.Name(), c.Reason)
			if c.Diff != "" {
				fmt.Fprint(out, indent(c.Diff, "       "))
			}
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d notebooks failed", failed, len(paths))
	}
	if *update {
		fmt.Fprintln(out, "outputs stored")
	}
	return nil
}

// allFiles reports whether every name is an .ipynb file name, which needs
// no module to resolve.
func allFiles(names []string) bool {
	for _, n := range names {
		if !strings.HasSuffix(n, ".ipynb") {
			return false
		}
	}
	return len(names) > 0
}

// notebookPaths turns names ("02-tcp", "notebooks/02-tcp.ipynb", or a path
// anywhere) into files; no names means every notebook under notebooks/.
func notebookPaths(moduleDir string, names []string) ([]string, error) {
	if len(names) == 0 {
		return filepath.Glob(filepath.Join(moduleDir, "notebooks", "*.ipynb"))
	}
	var paths []string
	for _, n := range names {
		p := n
		if !strings.HasSuffix(n, ".ipynb") {
			p = filepath.Join(moduleDir, "notebooks", n+".ipynb")
		}
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, err
		}
		if _, err := os.Stat(abs); err != nil {
			return nil, fmt.Errorf("notebook %q: %w", n, err)
		}
		paths = append(paths, abs)
	}
	return paths, nil
}

func indent(s, prefix string) string {
	lines := strings.SplitAfter(s, "\n")
	var b strings.Builder
	for _, l := range lines {
		if l != "" {
			b.WriteString(prefix + l)
		}
	}
	return b.String()
}
