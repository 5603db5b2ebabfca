// Package classroom stages what the classroom image and a JupyterHub
// install need: the sockbook kernel, its kernelspec, the notebooks and the
// course, laid out as they sit under / in the image.
//
// The image cannot build the kernel itself without a Go toolchain image
// newer than Debian's, so the teacher stages on the host first
// (go run ./classroom/stage) and the Containerfile only copies the staged
// tree. The tests stage through the same function.
package classroom

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/sockbook/sockbook/tools/kernel/kernelbin"
)

// Paths inside the image (and inside the staged folder, rooted there).
const (
	// Prefix is where the kernel is installed system-wide, as
	// go run build.go kernel --prefix /usr/local would.
	Prefix = "/usr/local"
	// KernelPath is the kernel binary every user runs.
	KernelPath = Prefix + "/lib/sockbook/sockbook-kernel"
	// KernelSpecDir holds kernel.json; Jupyter finds it under
	// PREFIX/share/jupyter/kernels.
	KernelSpecDir = Prefix + "/share/jupyter/kernels/" + kernelbin.Name
	// CourseDir holds a read-only copy of the notebooks and the course,
	// which each learner copies into their own home.
	CourseDir = "/srv/sockbook"
)

// Stage lays out into out (created if missing) the kernel binary at kernel,
// a kernelspec naming it by its path in the image, and moduleDir's
// notebooks/*.ipynb and tutorials/. The kernelspec's argv is an absolute
// path inside the image, so the staged tree works wherever it is copied to
// /, and never names the builder's checkout.
func Stage(moduleDir, kernel, out string) error {
	if _, err := kernelbin.Install(kernel, out, Prefix); err != nil {
		return err
	}
	notebooks, err := filepath.Glob(filepath.Join(moduleDir, "notebooks", "*.ipynb"))
	if err != nil {
		return err
	}
	if len(notebooks) == 0 {
		return fmt.Errorf("stage the notebooks: none in %s", filepath.Join(moduleDir, "notebooks"))
	}
	for _, nb := range notebooks {
		dst := filepath.Join(out, CourseDir, "notebooks", filepath.Base(nb))
		if err := copyFile(nb, dst, 0o644); err != nil {
			return fmt.Errorf("stage the notebooks: %w", err)
		}
	}
	if err := copyTree(filepath.Join(moduleDir, "tutorials"), filepath.Join(out, CourseDir, "tutorials")); err != nil {
		return fmt.Errorf("stage the course: %w", err)
	}
	return nil
}

// StageHere builds the kernel of the module containing the current
// directory (cached, see kernelbin.BuildHere) and stages it with that
// module's notebooks and course into out.
func StageHere(ctx context.Context, out string, log io.Writer) error {
	moduleDir, err := kernelbin.ModuleDir(ctx)
	if err != nil {
		return err
	}
	kernel, err := kernelbin.BuildHere(ctx, log)
	if err != nil {
		return err
	}
	return Stage(moduleDir, kernel, out)
}

// copyTree copies the regular files under src to dst, keeping their
// relative paths; everything staged is world-readable.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil // folders are made on the way; links are not course material
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		return copyFile(path, filepath.Join(dst, rel), 0o644)
	})
}

// copyFile copies src to dst with mode perm, creating dst's folder.
func copyFile(src, dst string, perm os.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("copy %s: %w", src, err)
	}
	if err := out.Chmod(perm); err != nil { // the umask may have narrowed it
		out.Close()
		return err
	}
	return out.Close()
}
