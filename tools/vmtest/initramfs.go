package main

import (
	"bytes"
	"compress/gzip"
	"debug/elf"
	"fmt"
	"io"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/sockbook/sockbook/tools/vmtest/cpio"
)

// imageFile is one regular file of the initramfs: its contents come from
// the host file src, or from data when src is empty.
type imageFile struct {
	name string // absolute path inside the image
	mode uint32 // permission bits
	src  string
	data []byte
}

// imageDirs are created in every image: the mount points /init uses and
// a writable /tmp.
var imageDirs = []string{"/dev", "/proc", "/sys", "/tmp"}

// writeImage writes an initramfs holding files (parent directories are
// added as needed) and a /dev/console node, which the kernel opens for
// /init's standard streams before any devtmpfs is mounted. The archive is
// cpio newc, gzip-compressed at the fastest level: the image is unpacked
// once, and a large test binary compresses slowly.
func writeImage(w io.Writer, files []imageFile) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestSpeed)
	if err != nil {
		return err
	}
	cw := cpio.NewWriter(zw)

	dirs := map[string]bool{}
	for _, d := range imageDirs {
		dirs[d] = true
	}
	for _, f := range files {
		if !path.IsAbs(f.name) {
			return fmt.Errorf("image file %q: name is not absolute", f.name)
		}
		for d := path.Dir(path.Clean(f.name)); d != "/"; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	// Sorted, a parent comes before its children.
	for _, d := range slices.Sorted(maps.Keys(dirs)) {
		if err := cw.WriteHeader(&cpio.Header{Name: d[1:], Mode: cpio.TypeDir | 0o755}); err != nil {
			return err
		}
	}
	console := &cpio.Header{Name: "dev/console", Mode: cpio.TypeChar | 0o600, Devmajor: 5, Devminor: 1}
	if err := cw.WriteHeader(console); err != nil {
		return err
	}
	for _, f := range files {
		if err := writeImageFile(cw, f); err != nil {
			return err
		}
	}
	if err := cw.Close(); err != nil {
		return err
	}
	return zw.Close()
}

func writeImageFile(cw *cpio.Writer, f imageFile) error {
	var body io.Reader
	size := int64(len(f.data))
	if f.src == "" {
		body = bytes.NewReader(f.data)
	} else {
		r, err := os.Open(f.src)
		if err != nil {
			return err
		}
		defer r.Close()
		st, err := r.Stat()
		if err != nil {
			return err
		}
		body, size = r, st.Size()
	}
	h := &cpio.Header{Name: path.Clean(f.name)[1:], Mode: cpio.TypeReg | f.mode, Size: size}
	if err := cw.WriteHeader(h); err != nil {
		return err
	}
	if _, err := io.Copy(cw, body); err != nil {
		return fmt.Errorf("image file %q from %q: %w", f.name, f.src, err)
	}
	return nil
}

// libDirs are searched, in order, for the shared libraries a dynamically
// linked program names (Debian's multiarch layout first).
var libDirs = []string{
	"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
	"/lib64", "/usr/lib64", "/lib", "/usr/lib",
}

// sharedLibs returns the dynamic loader and every shared library the
// program at file needs, directly or through other libraries, as host
// paths. It returns nothing for a static program. A test binary is static
// when built with CGO_ENABLED=0; go test -exec builds with cgo where a C
// compiler exists, and the image then carries the host's C library.
func sharedLibs(file string) ([]string, error) {
	var libs []string
	seen := map[string]bool{}
	var walk func(file string, top bool) error
	walk = func(file string, top bool) error {
		f, err := elf.Open(file)
		if err != nil {
			return fmt.Errorf("%s: not an ELF program: %w", file, err)
		}
		defer f.Close()
		if top {
			for _, p := range f.Progs {
				if p.Type != elf.PT_INTERP {
					continue
				}
				b, err := io.ReadAll(p.Open())
				if err != nil {
					return fmt.Errorf("%s: read PT_INTERP: %w", file, err)
				}
				interp := strings.TrimRight(string(b), "\x00")
				seen[interp] = true
				libs = append(libs, interp)
			}
		}
		needed, err := f.DynString(elf.DT_NEEDED)
		if err != nil {
			return fmt.Errorf("%s: read DT_NEEDED: %w", file, err)
		}
		for _, name := range needed {
			lib, err := findLib(name)
			if err != nil {
				return fmt.Errorf("%s needs %w", file, err)
			}
			if seen[lib] {
				continue
			}
			seen[lib] = true
			libs = append(libs, lib)
			if err := walk(lib, false); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(file, true); err != nil {
		return nil, err
	}
	return libs, nil
}

func findLib(name string) (string, error) {
	for _, dir := range libDirs {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("shared library %q, found in none of %s", name, strings.Join(libDirs, ", "))
}
