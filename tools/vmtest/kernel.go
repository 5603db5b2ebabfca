package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// defaultModules are the modules AF_ALG's tests need that Debian builds as
// modules: the socket family and its three interfaces, and the templates
// and algorithms behind "gcm(aes)", "cbc(aes)", "hmac(…)" and the SHA-2
// and SHA-3 hashes. Inside the VM no modprobe answers the kernel's
// request_module, so everything is loaded up front.
var defaultModules = []string{
	"af_alg", "algif_hash", "algif_skcipher", "algif_aead",
	"gf128mul", "ghash-generic", "ctr", "gcm", "cbc", "hmac",
	"sha512_generic", "sha3_generic",
}

// umlPackage is the Debian package with the user-mode Linux kernel: an
// ordinary host program that boots a kernel without KVM or root.
const umlPackage = "user-mode-linux"

// kernel is a bootable user-mode Linux kernel and the module tree built
// with it.
type kernel struct {
	binary string // the UML kernel executable
	modDir string // holds modules.dep, modules.builtin and the .ko files
}

// umlKernel returns the UML kernel unpacked under cacheDir, first fetching
// it with apt-get download and unpacking it with dpkg-deb -x when it is not
// there yet. Nothing is installed into the system.
func umlKernel(ctx context.Context, cacheDir string, logf func(string, ...any)) (kernel, error) {
	root := filepath.Join(cacheDir, umlPackage)
	if k, err := findUML(root); err == nil {
		return k, nil
	}
	logf("fetching %s into %s", umlPackage, root)
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return kernel{}, err
	}
	tmp, err := os.MkdirTemp(cacheDir, umlPackage+".fetch-")
	if err != nil {
		return kernel{}, err
	}
	defer os.RemoveAll(tmp)
	if err := command(ctx, tmp, "apt-get", "download", umlPackage); err != nil {
		return kernel{}, fmt.Errorf("%w (the package lists may need an apt-get update)", err)
	}
	debs, _ := filepath.Glob(filepath.Join(tmp, umlPackage+"_*.deb"))
	if len(debs) != 1 {
		return kernel{}, fmt.Errorf("apt-get download %s: want one .deb in %s, found %d", umlPackage, tmp, len(debs))
	}
	unpacked := filepath.Join(tmp, "root")
	if err := command(ctx, tmp, "dpkg-deb", "-x", debs[0], unpacked); err != nil {
		return kernel{}, err
	}
	if _, err := findUML(unpacked); err != nil {
		return kernel{}, err
	}
	// Another vmtest may have filled the cache meanwhile (go test runs
	// packages in parallel); its tree is as good as this one.
	if err := os.Rename(unpacked, root); err != nil {
		if k, findErr := findUML(root); findErr == nil {
			return k, nil
		}
		return kernel{}, err
	}
	return findUML(root)
}

// findUML finds the kernel and the module tree in an unpacked
// user-mode-linux package.
func findUML(root string) (kernel, error) {
	bin := filepath.Join(root, "usr/bin/linux.uml")
	if _, err := os.Stat(bin); err != nil {
		return kernel{}, err
	}
	dirs, _ := filepath.Glob(filepath.Join(root, "usr/lib/uml/modules/*/modules.dep"))
	if len(dirs) != 1 {
		return kernel{}, fmt.Errorf("%s: want one usr/lib/uml/modules/*/modules.dep, found %d", root, len(dirs))
	}
	return kernel{binary: bin, modDir: filepath.Dir(dirs[0])}, nil
}

// moduleOrder returns the files, relative to modDir, that load the named
// modules, each after the modules it depends on (read from modules.dep).
// Modules built into the kernel (modules.builtin) need no file. Names
// match with "-" and "_" taken as equal, as modprobe does.
func moduleOrder(modDir string, names []string) ([]string, error) {
	deps, err := readModuleTable(filepath.Join(modDir, "modules.dep"))
	if err != nil {
		return nil, err
	}
	builtin, err := readModuleTable(filepath.Join(modDir, "modules.builtin"))
	if err != nil {
		return nil, err
	}
	byName := map[string]string{}
	for path := range deps {
		byName[moduleName(path)] = path
	}

	var order []string
	done := map[string]bool{}
	var visit func(path string, chain []string) error
	visit = func(path string, chain []string) error {
		if done[path] {
			return nil
		}
		for _, c := range chain {
			if c == path {
				return fmt.Errorf("modules.dep: dependency cycle through %s", path)
			}
		}
		for _, dep := range deps[path] {
			if err := visit(dep, append(chain, path)); err != nil {
				return err
			}
		}
		done[path] = true
		order = append(order, path)
		return nil
	}
	builtinNames := map[string]bool{}
	for path := range builtin {
		builtinNames[moduleName(path)] = true
	}
	for _, name := range names {
		key := moduleName(name)
		path, ok := byName[key]
		if !ok {
			if builtinNames[key] {
				continue
			}
			return nil, fmt.Errorf("module %q: neither in %s/modules.dep nor built in", name, modDir)
		}
		if err := visit(path, nil); err != nil {
			return nil, err
		}
	}
	return order, nil
}

// readModuleTable reads modules.dep ("path: dep dep …") or modules.builtin
// (one path a line) into a map from path to dependencies.
func readModuleTable(file string) (map[string][]string, error) {
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

// moduleName turns "kernel/crypto/ghash-generic.ko.xz" or "ghash-generic"
// into the canonical "ghash_generic".
func moduleName(path string) string {
	name := filepath.Base(path)
	if i := strings.Index(name, ".ko"); i >= 0 {
		name = name[:i]
	}
	return strings.ReplaceAll(name, "-", "_")
}

// command runs a helper program in dir, returning its output in the error
// when it fails.
func command(ctx context.Context, dir, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, out)
	}
	return nil
}
