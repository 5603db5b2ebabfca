//go:build solution

// Package copyfile copies a file with copy_file_range(2), refusing the inputs
// that would lose data.
package copyfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// CopyFile copies the regular file src to dst and returns the bytes copied.
func CopyFile(dst, src string) (n int64, err error) {
	in, err := os.Open(src)
	if err != nil {
		return 0, fmt.Errorf("copyfile: %w", err)
	}
	defer in.Close()
	sfi, err := in.Stat()
	if err != nil {
		return 0, fmt.Errorf("copyfile: %w", err)
	}
	if !sfi.Mode().IsRegular() {
		return 0, fmt.Errorf("copyfile: source %s is not a regular file (%s)", src, sfi.Mode().Type())
	}
	// Checked before O_TRUNC, which would empty src if dst is src.
	if dfi, err := os.Stat(dst); err == nil && os.SameFile(sfi, dfi) {
		return 0, fmt.Errorf("copyfile: %s and %s are the same file", src, dst)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return 0, fmt.Errorf("copyfile: %w", err)
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, sfi.Mode().Perm())
	if err != nil {
		return 0, fmt.Errorf("copyfile: %w", err)
	}
	defer func() {
		if cerr := out.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("copyfile: %w", cerr)
		}
		if err != nil {
			os.Remove(dst)
		}
	}()

	size := sfi.Size()
	for n < size {
		m, err := unix.CopyFileRange(int(in.Fd()), nil, int(out.Fd()), nil, int(size-n), 0)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return n, fmt.Errorf("copyfile: copy_file_range %s to %s after %d bytes: %w", src, dst, n, err)
		}
		if m == 0 {
			return n, fmt.Errorf("copyfile: %s ended at %d bytes, %d expected", src, n, size)
		}
		n += int64(m)
	}
	return n, nil
}
