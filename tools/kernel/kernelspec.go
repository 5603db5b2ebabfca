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
		if kernelPath, err = installBinary(kernelPath, *prefix); err != nil {
			return err
		}
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
	dataDir, err := jupyterDataDir(*prefix)
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

// installBinary copies the kernel binary at src to PREFIX/lib/sockbook,
// readable and executable by everyone, and returns its path there.
func installBinary(src, prefix string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", fmt.Errorf("kernel binary: %w (run go run build.go kernel)", err)
	}
	defer in.Close()
	dir, err := filepath.Abs(filepath.Join(prefix, "lib", kernelbin.Name))
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("install the kernel binary: %w", err)
	}
	dst := filepath.Join(dir, "sockbook-kernel")
	// Write beside it and rename, so that a kernel running from the old
	// binary keeps its file and a new start never sees half a binary.
	tmp, err := os.CreateTemp(dir, ".sockbook-kernel-")
	if err != nil {
		return "", fmt.Errorf("install the kernel binary: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, in); err != nil {
		tmp.Close()
		return "", fmt.Errorf("install the kernel binary: %w", err)
	}
	if err := tmp.Chmod(0o755); err != nil {
		tmp.Close()
		return "", fmt.Errorf("install the kernel binary: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("install the kernel binary: %w", err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return "", fmt.Errorf("install the kernel binary: %w", err)
	}
	return dst, nil
}

// jupyterDataDir returns the folder that holds kernels/: PREFIX/share/jupyter
// with a prefix, else $JUPYTER_DATA_DIR, else the per-user default,
// $XDG_DATA_HOME/jupyter or ~/.local/share/jupyter.
func jupyterDataDir(prefix string) (string, error) {
	if prefix != "" {
		return filepath.Abs(filepath.Join(prefix, "share", "jupyter"))
	}
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
