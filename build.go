//go:build ignore

// Build builds sockbook's faces. Each target runs a program under tools/.
//
//	go run build.go [all]        # everything that can be built yet
//	go run build.go kernel       # bin/sockbook-kernel and its Jupyter kernelspec
//	go run build.go site         # the static website
//	go run build.go serve        # build the site and serve it
//	go run build.go notebooks    # re-run the notebooks through the kernel
//
// "kernel" passes its flags on to the kernelspec install: --prefix DIR
// installs into DIR/share/jupyter/kernels instead of the user's Jupyter
// data folder ($JUPYTER_DATA_DIR, else ~/.local/share/jupyter), and --print
// prints kernel.json instead of installing it.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// A target is one thing build.go can build.
type target struct {
	name string
	help string
	run  func(args []string) error
}

func targets() []target {
	return []target{
		{"kernel", "build bin/sockbook-kernel and install the sockbook kernelspec", kernel},
		{"site", "build the static website into _site/ (-out DIR, -base-url URL)", site},
		{"serve", "build the website, serve it on http://localhost:8000 (-port N) and rebuild on change", serve},
		{"notebooks", "check the notebooks' stored outputs through the kernel (-update stores new ones)", notebooks},
	}
}

func main() {
	name, args := "all", os.Args[1:]
	if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help") {
		usage()
		return
	}
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if err := build(name, args); err != nil {
		fmt.Fprintf(os.Stderr, "build %s: %v\n", name, err)
		os.Exit(1)
	}
}

func build(name string, args []string) error {
	if name == "all" {
		for _, t := range targets() {
			if t.name != "kernel" && t.name != "site" {
				continue // "all" is what a reader needs: the kernel and the site
			}
			fmt.Printf("== %s: %s\n", t.name, t.help)
			if err := t.run(nil); err != nil {
				return fmt.Errorf("%s: %w", t.name, err)
			}
		}
		return nil
	}
	for _, t := range targets() {
		if t.name == name {
			return t.run(args)
		}
	}
	var names []string
	for _, t := range targets() {
		names = append(names, t.name)
	}
	return fmt.Errorf("unknown target (want all, %s)", strings.Join(names, ", "))
}

func usage() {
	fmt.Println("usage: go run build.go [target] [flags]")
	fmt.Println()
	fmt.Printf("  %-10s %s\n", "all", "the kernel and the site (the default)")
	for _, t := range targets() {
		fmt.Printf("  %-10s %s\n", t.name, t.help)
	}
}

// kernel builds the kernel, then installs its kernelspec with args.
func kernel(args []string) error {
	if err := goRun("./tools/kernel", "build"); err != nil {
		return err
	}
	return goRun(append([]string{"./tools/kernel", "install"}, args...)...)
}

// site builds the website with args ([-out DIR] [-base-url URL]).
func site(args []string) error {
	return goRun(append([]string{"./tools/site", "build"}, args...)...)
}

// serve builds the kernel, then builds and serves the website with args
// ([-port N]), rebuilding on change until interrupted.
func serve(args []string) error {
	if err := kernel(nil); err != nil {
		return err
	}
	// The pages run their cells in the kernel just built.
	return goRun(append([]string{"./tools/site", "serve", "-kernel", filepath.Join("bin", "sockbook-kernel")}, args...)...)
}

// notebooks runs the notebook runner with args ([-update] [names...]).
func notebooks(args []string) error {
	return goRun(append([]string{"./tools/notebooks"}, args...)...)
}

// goRun runs "go run" with args, in the repository, with our output.
func goRun(args ...string) error {
	cmd := exec.Command("go", append([]string{"run"}, args...)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	return cmd.Run()
}
