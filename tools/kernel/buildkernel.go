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

	"github.com/sockbook/sockbook/tools/kernel/kernelbin"
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

// importsDir is the package the generated tables and docs join: it holds
// only what is not generated (imports.go).
var importsDir = filepath.Join("tools", "kernel", "imports")

// runBuild implements "build": it compiles gophernotes' main package, as
// published, together with the files in tools/kernel/_overlay, a corrected
// display table, and the import tables and docs generated from the current
// sources, into bin/sockbook-kernel.
//
// Generating the tables takes longer than compiling, so by default build
// takes the kernel from the cache the tests share (kernelbin.Build), which
// builds it there only when its sources have changed, and copies it to -o.
// -tables DIR builds afresh and keeps the generated files in DIR: that is
// how kernelbin fills its cache, with the manifest and docs.json tests read.
//
// go build -overlay does the assembling: it may read files from the module
// cache (it only refuses to replace files there), so no gophernotes source
// is copied into the repository, and it adds files to a package folder, so
// no generated file is either. It honours //go:embed of an added file
// (docs.go embeds docs.json).
func runBuild(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	out := fs.String("o", "", "output `file` (default ROOT/bin/sockbook-kernel)")
	tables := fs.String("tables", "", "build afresh, keeping the generated tables, manifest.json and docs.json in `dir` (default: take the kernel from the user cache)")
	moduleDir, target, err := parseModuleFlags(ctx, fs, args, out, "bin", "sockbook-kernel")
	if err != nil {
		return err
	}
	if *tables == "" {
		cached, err := kernelbin.Build(ctx, moduleDir, stdout)
		if err != nil {
			return err
		}
		if err := copyExecutable(cached, target); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "built %s (a copy of %s)\n", target, cached)
		return nil
	}
	if err := buildKernel(ctx, moduleDir, target, *tables, stdout); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "built %s\n", target)
	return nil
}

// buildKernel generates the import tables and docs into tablesDir (a
// scratch folder if empty) and writes the kernel binary to target. The
// generator's report goes to log.
func buildKernel(ctx context.Context, moduleDir, target, tablesDir string, log io.Writer) error {
	srcDir, err := moduleSourceDir(ctx, moduleDir, gophernotesModule)
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "sockbook-kernel-build-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	if tablesDir == "" {
		tablesDir = filepath.Join(work, "imports")
	}
	if tablesDir, err = filepath.Abs(tablesDir); err != nil {
		return err
	}
	if err := generate(ctx, moduleDir, tablesDir, log); err != nil {
		return err
	}

	replace := make(map[string]string)
	if err := overlayTables(replace, filepath.Join(moduleDir, importsDir), tablesDir); err != nil {
		return err
	}
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

// overlayTables adds to replace the generated files in tablesDir (the Go
// files and the docs.json docs.go embeds), as files of the package in
// pkgDir. A file of the same name in pkgDir is an error, not replaced: it
// is either a leftover of "gen -out" into the package, which would be
// compiled with stale tables, or a hand-written file the build would drop.
func overlayTables(replace map[string]string, pkgDir, tablesDir string) error {
	entries, err := os.ReadDir(tablesDir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() || !(strings.HasSuffix(e.Name(), ".go") || e.Name() == docsFile) {
			continue
		}
		name := filepath.Join(pkgDir, e.Name())
		if _, err := os.Stat(name); err == nil {
			return fmt.Errorf("%s is generated by the build; remove it from %s", e.Name(), pkgDir)
		}
		replace[name] = filepath.Join(tablesDir, e.Name())
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

// copyExecutable copies the program src to dst through a temporary file
// renamed into place: dst may be running (a served site's kernel), and a
// running program's file cannot be written.
func copyExecutable(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+"-")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(b)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o755)
	}
	if err != nil {
		return fmt.Errorf("copy %s to %s: %w", src, dst, err)
	}
	return os.Rename(tmp.Name(), dst)
}
