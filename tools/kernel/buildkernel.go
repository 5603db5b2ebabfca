package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// gophernotesModule is the module whose main package is the kernel.
const gophernotesModule = "github.com/gopherdata/gophernotes"

// gophernotesFiles are the files of gophernotes' main package that go into
// the kernel unchanged: its display code, which renders results and
// Display(...) bundles. Its x_package.go (the display table) is stale for
// the gomacro in go.mod and goes in as a patched copy. The rest (the message
// loop, the protocol, completion and main) is replaced by the files in
// _overlay and the packages they use (tools/jupyter, tools/kernel/...), where
// gophernotes' loop was the limit: no interrupt, no inspect, no control
// channel while a cell runs.
var gophernotesFiles = []string{
	"display.go",
	"image.go",
}

// virtualMain is where, inside the module, the kernel's main package appears
// to live. Nothing is on disk there: every file comes from the overlay.
const virtualMain = "tools/kernel/_main"

// runBuild implements "build": it compiles gophernotes' main package, as
// published, together with the files in tools/kernel/_overlay and a
// corrected display table, into bin/sockbook-kernel.
//
// go build -overlay does the assembling: it may read files from the module
// cache (it only refuses to replace files there), so no gophernotes source
// is copied into the repository.
func runBuild(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	out := fs.String("o", "", "output `file` (default ROOT/bin/sockbook-kernel)")
	moduleDir, target, err := parseModuleFlags(ctx, fs, args, out, "bin", "sockbook-kernel")
	if err != nil {
		return err
	}
	if err := buildKernel(ctx, moduleDir, target); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "built %s\n", target)
	return nil
}

// buildKernel writes the kernel binary to target.
func buildKernel(ctx context.Context, moduleDir, target string) error {
	srcDir, err := moduleSourceDir(ctx, moduleDir, gophernotesModule)
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "sockbook-kernel-build-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)

	replace := make(map[string]string)
	mainDir := filepath.Join(moduleDir, filepath.FromSlash(virtualMain))
	for _, name := range gophernotesFiles {
		replace[filepath.Join(mainDir, name)] = filepath.Join(srcDir, name)
	}
	display, err := patchDisplayTable(filepath.Join(srcDir, "x_package.go"))
	if err != nil {
		return err
	}
	displayFile := filepath.Join(work, "x_package.go")
	if err := os.WriteFile(displayFile, display, 0o644); err != nil {
		return err
	}
	replace[filepath.Join(mainDir, "x_package.go")] = displayFile
	overlayDir := filepath.Join(moduleDir, "tools", "kernel", "_overlay")
	own, err := filepath.Glob(filepath.Join(overlayDir, "*.go"))
	if err != nil {
		return err
	}
	for _, f := range own {
		replace[filepath.Join(mainDir, filepath.Base(f))] = f
	}
	overlay, err := json.Marshal(struct{ Replace map[string]string }{replace})
	if err != nil {
		return err
	}
	overlayFile := filepath.Join(work, "overlay.json")
	if err := os.WriteFile(overlayFile, overlay, 0o644); err != nil {
		return err
	}

	cmd := exec.CommandContext(ctx, "go", "build", "-overlay", overlayFile, "-trimpath", "-o", target, "./"+virtualMain)
	cmd.Dir = moduleDir
	cmd.Stdout = os.Stderr
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build the kernel: %w", err)
	}
	return nil
}

// moduleSourceDir returns the module cache folder of module at the version
// go.mod selects, downloading it if needed.
func moduleSourceDir(ctx context.Context, moduleDir, module string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "mod", "download", "-json", module)
	cmd.Dir = moduleDir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go mod download %s: %w: %s", module, err, stderr.Bytes())
	}
	var info struct{ Dir, Error string }
	if err := json.Unmarshal(b, &info); err != nil {
		return "", fmt.Errorf("go mod download %s: %w", module, err)
	}
	if info.Error != "" || info.Dir == "" {
		return "", fmt.Errorf("go mod download %s: %s", module, info.Error)
	}
	return info.Dir, nil
}

// displayTableFixes are the edits that make gophernotes v0.7.5's display
// table agree with display.go: JSONer.JSON returns map[string]interface{},
// but the table's proxy type returns string, and with the gomacro in go.mod
// that mismatch panics when the kernel starts.
var displayTableFixes = []struct{ old, new string }{
	{"JSON_  func(interface{}) string", "JSON_  func(interface{}) map[string]interface{}"},
	{"func (P *proxy_JSONer) JSON() string {", "func (P *proxy_JSONer) JSON() map[string]interface{} {"},
}

// patchDisplayTable returns gophernotes' display table from file, corrected.
// It fails rather than build a kernel that panics when an edit no longer
// applies (another gophernotes version).
func patchDisplayTable(file string) ([]byte, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	src := string(b)
	for _, fix := range displayTableFixes {
		if n := strings.Count(src, fix.old); n != 1 {
			return nil, fmt.Errorf("patch %s: found %q %d times, want once", file, fix.old, n)
		}
		src = strings.Replace(src, fix.old, fix.new, 1)
	}
	return []byte(src), nil
}
