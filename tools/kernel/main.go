// gomacro's genimport predates materialised type aliases in go/types: with
// them it panics on "any".
//go:debug gotypesalias=0

// Command kernel builds and installs the sockbook Jupyter kernel: gophernotes
// with the sockbook packages, and current standard-library tables, linked in.
//
//	go run ./tools/kernel build     # build bin/sockbook-kernel
//	go run ./tools/kernel gen       # write its tables and docs, to read them
//	go run ./tools/kernel install   # install the "sockbook" kernelspec
//
// "go run build.go kernel" runs build and then install. See README.md in
// this folder for using the kernel from Jupyter and for its limits.
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

	"github.com/sockbook/sockbook/tools/kernel/kernelbin"
)

// subcommands maps each subcommand to its implementation.
var subcommands = map[string]func(ctx context.Context, args []string, stdout io.Writer) error{
	"gen":     runGen,
	"build":   runBuild,
	"install": runInstall,
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if len(os.Args) < 2 || subcommands[os.Args[1]] == nil {
		fmt.Fprintln(os.Stderr, "usage: go run ./tools/kernel build|gen|install [flags]")
		os.Exit(2)
	}
	err := subcommands[os.Args[1]](ctx, os.Args[2:], os.Stdout)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "kernel %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

// parseModuleFlags adds -root to fs, which already holds the subcommand's
// output flag out, and parses args. It returns the module's root and the
// output path, absolute, defaulting to the path elements def under the
// root.
func parseModuleFlags(ctx context.Context, fs *flag.FlagSet, args []string, out *string, def ...string) (moduleDir, output string, err error) {
	root := fs.String("root", "", "`dir`ectory of the sockbook module (default: the module of the current directory)")
	if err := fs.Parse(args); err != nil {
		return "", "", err
	}
	if moduleDir, err = moduleRoot(ctx, *root); err != nil {
		return "", "", err
	}
	if *out == "" {
		*out = filepath.Join(append([]string{moduleDir}, def...)...)
	}
	if output, err = filepath.Abs(*out); err != nil {
		return "", "", err
	}
	return moduleDir, output, nil
}

// moduleRoot returns the sockbook module's root: dir if given, else the
// module containing the current directory.
func moduleRoot(ctx context.Context, dir string) (string, error) {
	if dir != "" {
		return filepath.Abs(dir)
	}
	return kernelbin.ModuleDir(ctx)
}
