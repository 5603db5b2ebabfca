// Package kernelbin provides the sockbook kernel to programs and tests that
// need one: its kernelspec, and a binary built once per set of inputs.
package kernelbin

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sockbook/sockbook/tools/jupyter"
)

// Name is the kernelspec's name: "jupyter kernelspec list" shows it, and
// notebooks name it in their metadata.
const Name = "sockbook"

// MissingGOROOT is the GOROOT the kernel runs with. A folder that does not
// exist turns off gomacro's go/types importer, which would otherwise print
// warnings into the first cell's output and make every run slower. The
// kernel needs no Go toolchain: every importable package is linked in.
const MissingGOROOT = "/nonexistent/sockbook-kernel-needs-no-goroot"

// Spec returns the kernelspec of the kernel binary at kernelPath, which
// should be absolute.
func Spec(kernelPath string) jupyter.KernelSpec {
	return jupyter.KernelSpec{
		Argv:        []string{kernelPath, "{connection_file}"},
		DisplayName: "Go (sockbook)",
		Language:    "go",
		// Interrupts come as interrupt_request on the control channel,
		// which the kernel serves while a cell runs; it handles SIGINT
		// the same way, for clients that send that.
		InterruptMode: "message",
		Env:           map[string]string{"GOROOT": MissingGOROOT},
	}
}

// ModuleDir returns the root of the sockbook module that contains the
// current directory.
func ModuleDir(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("kernelbin: go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("kernelbin: not inside a Go module")
	}
	return filepath.Dir(gomod), nil
}

// Build returns the path of a kernel built from the sources in moduleDir,
// building it first unless the user cache already holds one built from the
// same inputs (Go version, go.mod, go.sum, and the Go files of pkg/,
// tools/kernel and tools/jupyter: the import tables are generated from
// them at each build). The first build takes minutes; later calls take the
// time to hash the inputs. Build output goes to log. Next to the binary,
// TablesDir holds what the build generated.
//
// Concurrent calls, from several test binaries, build once: the first
// holds a lock file while it builds, the others wait for it and then find
// its binary.
func Build(ctx context.Context, moduleDir string, log io.Writer) (string, error) {
	target, err := cachedPath(moduleDir)
	if err != nil {
		return "", err
	}
	dir := filepath.Dir(target)
	if _, err := os.Stat(target); err == nil {
		return target, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("kernelbin: %w", err)
	}
	unlock, err := lock(ctx, target+".lock")
	if err != nil {
		return "", err
	}
	defer unlock()
	if _, err := os.Stat(target); err == nil {
		return target, nil // built while we waited
	}
	// Build to private names and rename, tables first: whoever sees the
	// binary sees its tables, and never half a file.
	tmp, err := os.MkdirTemp(dir, ".kernel-build-")
	if err != nil {
		return "", fmt.Errorf("kernelbin: %w", err)
	}
	defer os.RemoveAll(tmp)
	bin, tables := filepath.Join(tmp, "kernel"), filepath.Join(tmp, "tables")
	cmd := exec.CommandContext(ctx, "go", "run", "./tools/kernel", "build", "-o", bin, "-tables", tables)
	cmd.Dir = moduleDir
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("kernelbin: build the kernel: %w", err)
	}
	if err := os.RemoveAll(TablesDir(target)); err != nil {
		return "", fmt.Errorf("kernelbin: %w", err)
	}
	if err := os.Rename(tables, TablesDir(target)); err != nil {
		return "", fmt.Errorf("kernelbin: %w", err)
	}
	if err := os.Rename(bin, target); err != nil {
		return "", fmt.Errorf("kernelbin: %w", err)
	}
	return target, nil
}

// cachedPath returns where, in the user cache, Build keeps the kernel
// built from the sources in moduleDir as they are now.
func cachedPath(moduleDir string) (string, error) {
	key, err := inputsHash(moduleDir)
	if err != nil {
		return "", err
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("kernelbin: %w", err)
	}
	return filepath.Join(cache, "sockbook", "kernel-"+key[:16]), nil
}

// TablesDir returns the folder where Build keeps what it generated for the
// kernel at kernelPath: the import tables linked into it, their
// manifest.json, and docs.json, the documentation the kernel answers
// inspect requests from.
func TablesDir(kernelPath string) string {
	return kernelPath + ".tables"
}

// lock takes an exclusive lock on file, waiting for another process's lock
// until ctx ends, and returns its release.
func lock(ctx context.Context, file string) (unlock func(), err error) {
	f, err := os.OpenFile(file, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("kernelbin: %w", err)
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { f.Close() }, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("kernelbin: lock %s: %w", file, err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("kernelbin: wait for another build of the kernel (%s): %w", file, ctx.Err())
		case <-time.After(time.Second):
		}
	}
}

// inputsHash hashes everything the kernel binary is built from, apart from
// the module cache (go.sum pins it).
func inputsHash(moduleDir string) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	var files []string
	for _, name := range []string{"go.mod", "go.sum"} {
		files = append(files, filepath.Join(moduleDir, name))
	}
	for _, root := range []string{"pkg", filepath.Join("tools", "kernel"), filepath.Join("tools", "jupyter")} {
		err := filepath.WalkDir(filepath.Join(moduleDir, root), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				if os.IsNotExist(err) {
					return nil
				}
				return err
			}
			if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			// Go sources: the packages linked in, and the generator of
			// their tables and docs.
			if !d.IsDir() && strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return "", fmt.Errorf("kernelbin: hash the kernel's sources: %w", err)
		}
	}
	slices.Sort(files)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return "", fmt.Errorf("kernelbin: hash the kernel's sources: %w", err)
		}
		rel, _ := filepath.Rel(moduleDir, f)
		fmt.Fprintf(h, "%s %d\n", rel, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// BuildHere builds the kernel of the module that holds the current
// directory, as tests and tools do: ModuleDir, then Build.
func BuildHere(ctx context.Context, log io.Writer) (string, error) {
	dir, err := ModuleDir(ctx)
	if err != nil {
		return "", err
	}
	return Build(ctx, dir, log)
}

// ForTest returns the kernelspec of the kernel of the module that holds
// the current directory, building it first when the cache has none (see
// Build), and fails t when it cannot. Build output goes to stderr, so a
// first build's minutes are visible.
func ForTest(t testing.TB) jupyter.KernelSpec {
	t.Helper()
	return Spec(buildForTest(t))
}

// TablesForTest returns TablesDir of the kernel ForTest provides: tests
// read the manifest and docs.json of the tables linked into it there.
func TablesForTest(t testing.TB) string {
	t.Helper()
	return TablesDir(buildForTest(t))
}

// buildForTest is BuildHere for a test, with the build bounded.
func buildForTest(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	path, err := BuildHere(ctx, os.Stderr)
	if err != nil {
		t.Fatalf("building the sockbook kernel: %v", err)
	}
	return path
}
