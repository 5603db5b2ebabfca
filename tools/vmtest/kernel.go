package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// defaultModules are the modules the guest's tests and notebooks need that
// Debian builds as modules: AF_ALG's socket family and its three
// interfaces, the templates and algorithms behind "gcm(aes)", "cbc(aes)",
// "hmac(…)" and the SHA-2 and SHA-3 hashes, and veth for the ARP sniffer's
// pair of network namespaces. Inside the VM no modprobe answers the kernel's
// request_module, so everything is loaded up front. Those built into the
// kernel (cbc and hmac, in Debian's amd64 kernel) are skipped.
var defaultModules = []string{
	"af_alg", "algif_hash", "algif_skcipher", "algif_aead",
	"gf128mul", "ghash-generic", "ctr", "gcm", "cbc", "hmac",
	"sha512_generic", "sha3_generic",
	"veth",
}

// kernelPackage is the Debian metapackage that names the current amd64
// kernel: it depends on the versioned linux-image-<abi>-amd64 package,
// which holds the kernel image and its modules.
const kernelPackage = "linux-image-amd64"

// kernel is a bootable kernel image and the module tree built with it.
type kernel struct {
	image  string // the kernel's bzImage (boot/vmlinuz-*)
	modDir string // lib/modules/<version>: modules.builtin and the .ko files
}

// debianKernel returns the kernel unpacked under cacheDir, first fetching
// it with apt-get download and unpacking it with dpkg-deb -x when it is not
// there yet. Nothing is installed into the system: the kernel is booted by
// qemu, never from /boot.
func debianKernel(ctx context.Context, cacheDir string, logf func(string, ...any)) (kernel, error) {
	root := filepath.Join(cacheDir, kernelPackage)
	if k, err := findKernel(root); err == nil {
		return k, nil
	}
	logf("fetching %s into %s", kernelPackage, root)
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return kernel{}, err
	}
	tmp, err := os.MkdirTemp(cacheDir, kernelPackage+".fetch-")
	if err != nil {
		return kernel{}, err
	}
	defer os.RemoveAll(tmp)
	meta, err := aptDownload(ctx, tmp, kernelPackage)
	if err != nil {
		return kernel{}, err
	}
	depends, err := output(ctx, tmp, "dpkg-deb", "-f", meta, "Depends")
	if err != nil {
		return kernel{}, err
	}
	image, err := imagePackage(depends)
	if err != nil {
		return kernel{}, fmt.Errorf("%s: %w", meta, err)
	}
	logf("fetching %s", image)
	deb, err := aptDownload(ctx, tmp, image)
	if err != nil {
		return kernel{}, err
	}
	unpacked := filepath.Join(tmp, "root")
	if err := command(ctx, tmp, "dpkg-deb", "-x", deb, unpacked); err != nil {
		return kernel{}, err
	}
	if _, err := findKernel(unpacked); err != nil {
		return kernel{}, err
	}
	// Another vmtest may have filled the cache meanwhile (go test runs
	// packages in parallel); its tree is as good as this one.
	if err := os.Rename(unpacked, root); err != nil {
		if k, findErr := findKernel(root); findErr == nil {
			return k, nil
		}
		return kernel{}, err
	}
	return findKernel(root)
}

// aptDownload fetches the .deb of pkg ("name" or "name=version") into dir
// and returns its path.
func aptDownload(ctx context.Context, dir, pkg string) (string, error) {
	if err := command(ctx, dir, "apt-get", "download", pkg); err != nil {
		return "", fmt.Errorf("%w (the package lists may need an apt-get update)", err)
	}
	name, _, _ := strings.Cut(pkg, "=")
	debs, _ := filepath.Glob(filepath.Join(dir, name+"_*.deb"))
	if len(debs) != 1 {
		return "", fmt.Errorf("apt-get download %s: want one .deb in %s, found %d", pkg, dir, len(debs))
	}
	return debs[0], nil
}

// imagePackage picks, from the Depends field of linux-image-amd64, the
// versioned kernel package to download, as "name=version" when the
// version is pinned with "=".
func imagePackage(depends string) (string, error) {
	for _, dep := range strings.Split(depends, ",") {
		// The first of any alternatives ("a | b").
		dep, _, _ = strings.Cut(dep, "|")
		name, constraint, _ := strings.Cut(strings.TrimSpace(dep), " ")
		if !strings.HasPrefix(name, "linux-image-") {
			continue
		}
		constraint = strings.Trim(strings.TrimSpace(constraint), "()")
		if v, ok := strings.CutPrefix(constraint, "= "); ok {
			return name + "=" + strings.TrimSpace(v), nil
		}
		return name, nil
	}
	return "", fmt.Errorf("no linux-image-* package in Depends %q", strings.TrimSpace(depends))
}

// findKernel finds the kernel image and the module tree in an unpacked
// linux-image package: boot/vmlinuz-<version> and the modules in
// lib/modules/<version> (usr/lib/modules in newer Debian releases).
func findKernel(root string) (kernel, error) {
	images, _ := filepath.Glob(filepath.Join(root, "boot/vmlinuz-*"))
	if len(images) != 1 {
		return kernel{}, fmt.Errorf("%s: want one boot/vmlinuz-*, found %d", root, len(images))
	}
	version := strings.TrimPrefix(filepath.Base(images[0]), "vmlinuz-")
	for _, dir := range []string{"lib/modules", "usr/lib/modules"} {
		modDir := filepath.Join(root, dir, version)
		if _, err := os.Stat(filepath.Join(modDir, "modules.builtin")); err == nil {
			return kernel{image: images[0], modDir: modDir}, nil
		}
	}
	return kernel{}, fmt.Errorf("%s: no {,usr/}lib/modules/%s/modules.builtin", root, version)
}

// moduleTable is what moduleOrder needs to know about a module tree.
type moduleTable struct {
	byName  map[string]string // canonical module name to file, relative to the tree
	builtin map[string]bool   // canonical names of modules built into the kernel
	// deps returns the files of the modules a module file needs.
	deps func(file string) ([]string, error)
}

// readModuleTree reads the module tree in modDir. It takes the
// dependencies from modules.dep where depmod has written one; a Debian
// kernel package ships none (its postinst runs depmod), and there they are
// read from each module's .modinfo section, only for the modules asked for.
func readModuleTree(modDir string) (*moduleTable, error) {
	builtin, err := readModuleList(filepath.Join(modDir, "modules.builtin"))
	if err != nil {
		return nil, err
	}
	t := &moduleTable{byName: map[string]string{}, builtin: map[string]bool{}}
	for file := range builtin {
		t.builtin[moduleName(file)] = true
	}

	deps, err := readModuleList(filepath.Join(modDir, "modules.dep"))
	if err == nil {
		for file := range deps {
			t.byName[moduleName(file)] = file
		}
		t.deps = func(file string) ([]string, error) { return deps[file], nil }
		return t, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}

	err = filepath.WalkDir(modDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() && isModuleFile(d.Name()) {
			rel, err := filepath.Rel(modDir, p)
			if err != nil {
				return err
			}
			t.byName[moduleName(rel)] = filepath.ToSlash(rel)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("module tree: %w", err)
	}
	t.deps = func(file string) ([]string, error) {
		data, err := readModule(filepath.Join(modDir, file))
		if err != nil {
			return nil, err
		}
		names, err := modinfoDepends(data)
		if err != nil {
			return nil, fmt.Errorf("module %s: %w", file, err)
		}
		var files []string
		for _, name := range names {
			dep, ok := t.byName[moduleName(name)]
			if !ok {
				return nil, fmt.Errorf("module %s depends on %q, which is not in %s", file, name, modDir)
			}
			files = append(files, dep)
		}
		return files, nil
	}
	return t, nil
}

// moduleOrder returns the files, relative to modDir, that load the named
// modules, each after the modules it depends on. Modules built into the
// kernel (modules.builtin) need no file. Names match with "-" and "_"
// taken as equal, as modprobe does.
func moduleOrder(modDir string, names []string) ([]string, error) {
	t, err := readModuleTree(modDir)
	if err != nil {
		return nil, err
	}
	var order []string
	done := map[string]bool{}
	var visit func(file string, chain []string) error
	visit = func(file string, chain []string) error {
		if done[file] {
			return nil
		}
		for _, c := range chain {
			if c == file {
				return fmt.Errorf("module dependencies: a cycle through %s", file)
			}
		}
		deps, err := t.deps(file)
		if err != nil {
			return err
		}
		for _, dep := range deps {
			if err := visit(dep, append(chain, file)); err != nil {
				return err
			}
		}
		done[file] = true
		order = append(order, file)
		return nil
	}
	for _, name := range names {
		key := moduleName(name)
		file, ok := t.byName[key]
		if !ok {
			if t.builtin[key] {
				continue
			}
			return nil, fmt.Errorf("module %q: neither in %s nor built in", name, modDir)
		}
		if err := visit(file, nil); err != nil {
			return nil, err
		}
	}
	return order, nil
}

// readModuleList reads modules.dep ("path: dep dep …") or modules.builtin
// (one path a line) into a map from path to dependencies.
func readModuleList(file string) (map[string][]string, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	table := map[string][]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		path, rest, _ := strings.Cut(sc.Text(), ":")
		if path = strings.TrimSpace(path); path != "" {
			table[path] = strings.Fields(rest)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	return table, nil
}

// moduleSuffixes are the endings of module files: plain, or compressed as
// kmod's CONFIG_MODULE_COMPRESS_* options write them.
var moduleSuffixes = []string{".ko", ".ko.xz", ".ko.zst", ".ko.gz"}

func isModuleFile(name string) bool {
	for _, s := range moduleSuffixes {
		if strings.HasSuffix(name, s) {
			return true
		}
	}
	return false
}

// moduleName turns "kernel/crypto/ghash-generic.ko.xz" or "ghash-generic"
// into the canonical "ghash_generic".
func moduleName(path string) string {
	name := filepath.Base(path)
	if i := strings.Index(name, ".ko"); i >= 0 {
		name = name[:i]
	}
	return strings.ReplaceAll(name, "-", "_")
}

// imageModuleName is the name a module file gets in the image: one flat
// directory, and uncompressed, since it is decompressed on the host.
func imageModuleName(file string) string {
	name := strings.ReplaceAll(file, "/", "_")
	if i := strings.LastIndex(name, ".ko"); i >= 0 {
		name = name[:i+len(".ko")]
	}
	return name
}

// decompressors are the host programs that unpack compressed modules the
// standard library cannot, and the Debian packages that have them.
var decompressors = map[string]struct{ program, pkg string }{
	".xz":  {"xz", "xz-utils"},
	".zst": {"zstd", "zstd"},
}

// readModule returns the ELF object of a module file, decompressing a
// .ko.gz, .ko.xz or .ko.zst. The guest loads plain objects, so it does not
// matter whether its kernel can decompress modules itself.
func readModule(file string) ([]byte, error) {
	ext := filepath.Ext(file)
	if ext == ".ko" {
		return os.ReadFile(file)
	}
	if ext == ".gz" {
		f, err := os.Open(file)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		data, err := io.ReadAll(zr)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		return data, nil
	}
	d, ok := decompressors[ext]
	if !ok {
		return nil, fmt.Errorf("%s: not a module file (%s)", file, strings.Join(moduleSuffixes, ", "))
	}
	if _, err := exec.LookPath(d.program); err != nil {
		return nil, fmt.Errorf("%s: decompressing it needs %s, from Debian's %s package (apt-get install %s)", file, d.program, d.pkg, d.pkg)
	}
	cmd := exec.Command(d.program, "-dc", file)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	data, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s -dc %s: %w\n%s", d.program, file, err, stderr.Bytes())
	}
	return data, nil
}

// modinfoDepends returns the module names listed in the "depends=" entry
// of a module's .modinfo section: the modules whose symbols it uses.
func modinfoDepends(object []byte) ([]string, error) {
	f, err := elf.NewFile(bytes.NewReader(object))
	if err != nil {
		return nil, fmt.Errorf("not an ELF object: %w", err)
	}
	sec := f.Section(".modinfo")
	if sec == nil {
		return nil, errors.New("no .modinfo section")
	}
	info, err := sec.Data()
	if err != nil {
		return nil, fmt.Errorf(".modinfo: %w", err)
	}
	for _, entry := range bytes.Split(info, []byte{0}) {
		if v, ok := bytes.CutPrefix(entry, []byte("depends=")); ok {
			var names []string
			for _, n := range strings.Split(string(v), ",") {
				if n = strings.TrimSpace(n); n != "" {
					names = append(names, n)
				}
			}
			return names, nil
		}
	}
	return nil, nil
}

// command runs a helper program in dir, returning its output in the error
// when it fails.
func command(ctx context.Context, dir, name string, args ...string) error {
	_, err := output(ctx, dir, name, args...)
	return err
}

// output runs a helper program in dir and returns its standard output, or
// an error with all its output when it fails.
func output(ctx context.Context, dir, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%s %s: %w\n%s%s", name, strings.Join(args, " "), err, stdout.Bytes(), stderr.Bytes())
	}
	return stdout.String(), nil
}
