package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/sockbook/sockbook/tools/kernel/kernelbin"
)

// runInstall implements "install": it writes the sockbook kernelspec into
// Jupyter's data folder, or prints it.
func runInstall(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("install", flag.ContinueOnError)
	root := fs.String("root", "", "`dir`ectory of the sockbook module (default: the module of the current directory)")
	kernel := fs.String("kernel", "", "kernel binary `file` (default ROOT/bin/sockbook-kernel)")
	prefix := fs.String("prefix", "", "install system-wide: the binary into `DIR`/lib/sockbook and the kernelspec into DIR/share/jupyter/kernels, as jupyter kernelspec install --prefix does")
	print := fs.Bool("print", false, "print kernel.json instead of installing it")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *kernel == "" {
		moduleDir, err := moduleRoot(ctx, *root)
		if err != nil {
			return err
		}
		*kernel = filepath.Join(moduleDir, "bin", "sockbook-kernel")
	}
	kernelPath, err := filepath.Abs(*kernel)
	if err != nil {
		return err
	}
	if *prefix != "" && !*print {
		// Every user runs the kernel from the prefix, never from the
		// builder's checkout, which may be private or gone tomorrow.
		abs, err := filepath.Abs(*prefix)
		if err != nil {
			return err
		}
		if _, err := os.Stat(kernelPath); err != nil {
			return fmt.Errorf("kernel binary: %w (run go run build.go kernel)", err)
		}
		dir, err := kernelbin.Install(kernelPath, "/", abs)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "installed kernelspec %s in %s\n", kernelbin.Name, dir)
		return nil
	}
	spec, err := json.MarshalIndent(kernelbin.Spec(kernelPath), "", "  ")
	if err != nil {
		return err
	}
	spec = append(spec, '\n')
	if *print {
		_, err := stdout.Write(spec)
		return err
	}
	if _, err := os.Stat(kernelPath); err != nil {
		return fmt.Errorf("kernel binary: %w (run go run build.go kernel)", err)
	}
	dataDir, err := jupyterDataDir()
	if err != nil {
		return err
	}
	dir := filepath.Join(dataDir, "kernels", kernelbin.Name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "kernel.json"), spec, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "installed kernelspec %s in %s\n", kernelbin.Name, dir)
	return nil
}

// jupyterDataDir returns the per-user folder that holds kernels/:
// $JUPYTER_DATA_DIR, else $XDG_DATA_HOME/jupyter or ~/.local/share/jupyter.
func jupyterDataDir() (string, error) {
	if dir := os.Getenv("JUPYTER_DATA_DIR"); dir != "" {
		return filepath.Abs(dir)
	}
	if dir := os.Getenv("XDG_DATA_HOME"); dir != "" {
		return filepath.Join(dir, "jupyter"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("find the Jupyter data folder: %w", err)
	}
	return filepath.Join(home, ".local", "share", "jupyter"), nil
}
