package kernelbin

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Install installs the kernel binary at kernel for every user under
// prefix, as seen from the folder root ("/" for this machine, a staged
// tree for an image): the binary goes to root/prefix/lib/sockbook, and a
// kernelspec in root/prefix/share/jupyter/kernels names it by its path
// once root is "/", never by the builder's checkout. It returns the
// kernelspec's folder.
func Install(kernel, root, prefix string) (string, error) {
	if !filepath.IsAbs(prefix) {
		return "", fmt.Errorf("kernelbin: install: prefix %q is not an absolute path", prefix)
	}
	kernelPath := filepath.Join(prefix, "lib", Name, "sockbook-kernel")
	if err := copyExecutable(kernel, filepath.Join(root, kernelPath)); err != nil {
		return "", fmt.Errorf("kernelbin: install the kernel: %w", err)
	}
	spec, err := json.MarshalIndent(Spec(kernelPath), "", "  ")
	if err != nil {
		return "", err
	}
	dir := filepath.Join(root, prefix, "share", "jupyter", "kernels", Name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("kernelbin: install the kernelspec: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "kernel.json"), append(spec, '\n'), 0o644); err != nil {
		return "", fmt.Errorf("kernelbin: install the kernelspec: %w", err)
	}
	return dir, nil
}

// copyExecutable copies src to dst, mode 0755, writing beside dst and
// renaming, so that a kernel running from the old binary keeps its file
// and a new start never sees half a binary.
func copyExecutable(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".sockbook-kernel-")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, in); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o755); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dst)
}
