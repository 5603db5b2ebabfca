// Command stage builds the sockbook kernel and lays it out, with its
// kernelspec, the notebooks and the course, as the classroom image holds
// them under /:
//
//	go run ./classroom/stage                 # into classroom/_build
//	go run ./classroom/stage -out DIR
//	podman build -t sockbook-classroom -f classroom/Containerfile classroom/_build
//
// See package classroom for the layout.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"

	"github.com/sockbook/sockbook/classroom"
	"github.com/sockbook/sockbook/tools/kernel/kernelbin"
)

func main() {
	out := flag.String("out", "", "`dir`ectory to stage into (default: classroom/_build in the module)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *out); err != nil {
		fmt.Fprintln(os.Stderr, "stage:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out string) error {
	if out == "" {
		moduleDir, err := kernelbin.ModuleDir(ctx)
		if err != nil {
			return err
		}
		out = filepath.Join(moduleDir, "classroom", "_build")
	}
	// A stale tree could carry a notebook the course has since dropped.
	// Only what staging writes is removed: out may be a folder in use.
	for _, dir := range []string{classroom.CourseDir, filepath.Dir(classroom.KernelPath), classroom.KernelSpecDir} {
		if err := os.RemoveAll(filepath.Join(out, dir)); err != nil {
			return err
		}
	}
	if err := classroom.StageHere(ctx, out, os.Stderr); err != nil {
		return err
	}
	fmt.Println("staged into", out)
	return nil
}
