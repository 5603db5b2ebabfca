// Command vmtest runs a package's Go tests inside a throwaway Linux kernel,
// for tests that need kernel features the host lacks (AF_ALG, here).
//
// It boots Debian's amd64 kernel in qemu-system-x86_64 with software
// emulation (TCG), which needs neither root nor KVM, from an initramfs it
// writes itself: a small Go /init (see vminit), the test binary, the
// kernel modules the tests need and a file with their arguments and
// environment. /init prints the test binary's exit status on a marker
// line, and vmtest exits with it.
//
// Usage:
//
//	vmtest [flags] ./pkg/afalg [test flags]   # builds the tests, static
//	vmtest [flags] /path/to/pkg.test [args]   # runs a built test binary
//
// The second form is what go test -exec calls, so both of these work from
// the module's root:
//
//	go run ./tools/vmtest ./pkg/afalg -v -run Hash
//	go test -exec "go run $PWD/tools/vmtest" ./pkg/afalg
//
// Test flags in the first form are spelled as for go test (-run, -v,
// -bench) and passed on as -test.run and so on.
//
// The kernel (Debian's linux-image-amd64) is fetched once with apt-get
// download and unpacked with dpkg-deb -x under the user's cache directory;
// nothing is installed. qemu comes from Debian's qemu-system-x86 package,
// which must be installed. The
// guest gets SOCKBOOK_*, VMTEST_*, GODEBUG, GOTRACEBACK and GOMAXPROCS from
// the host's environment, and any variable named with -env.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/sockbook/sockbook/tools/vmtest/internal/bootcfg"
)

// vminitPackage is the import path of the /init program.
const vminitPackage = "github.com/sockbook/sockbook/tools/vmtest/vminit"

// guestCPUs is the number of the guest's virtual CPUs. qemu runs each in a
// host thread of its own (multi-threaded TCG).
const guestCPUs = 2

// errUsage reports bad command-line arguments; the flag package has
// already printed why.
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	status, err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case errors.Is(err, errUsage):
		status = 2
	case err != nil:
		fmt.Fprintf(os.Stderr, "vmtest: %v\n", err)
		if status == 0 {
			status = 1
		}
	}
	os.Exit(status)
}

// options are vmtest's own flags.
type options struct {
	cache   string
	modules string
	mem     string
	timeout time.Duration
	verbose bool
	env     listFlag
	files   listFlag // HOST:GUEST
	out     string
}

// listFlag collects the values of a flag given more than once.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// run is vmtest without the process around it: it returns the test
// binary's exit status, or an error when it could not learn it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) (int, error) {
	var opt options
	fs := flag.NewFlagSet("vmtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: vmtest [flags] (package | test-binary) [test flags]")
		fs.PrintDefaults()
	}
	defaultCache := ""
	if dir, err := os.UserCacheDir(); err == nil {
		defaultCache = filepath.Join(dir, "sockbook", "vm")
	}
	fs.StringVar(&opt.cache, "cache", defaultCache, "`dir`ectory for the unpacked kernel, kept between runs")
	fs.StringVar(&opt.modules, "modules", strings.Join(defaultModules, ","), "comma-separated kernel `modules` to load before the tests (dependencies are added)")
	fs.StringVar(&opt.mem, "mem", "512M", "guest memory `size`")
	fs.DurationVar(&opt.timeout, "timeout", 10*time.Minute, "give up, killing the VM, after this long (building included)")
	fs.BoolVar(&opt.verbose, "v", false, "show the kernel's console and what vmtest does on stderr")
	fs.Var(&opt.env, "env", "pass `NAME` or NAME=value into the guest's environment (repeatable)")
	fs.Var(&opt.files, "file", "put the host file `HOST:GUEST` into the image at the absolute path GUEST (repeatable); a program's shared libraries come with it")
	fs.StringVar(&opt.out, "out", "", "copy the files the program leaves under "+bootcfg.OutDir+" into `dir` on the host")
	if err := fs.Parse(args); err != nil {
		return 0, errUsage
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 0, errUsage
	}
	if opt.cache == "" {
		return 0, errors.New("no cache directory: set -cache or $HOME")
	}

	ctx, cancel := context.WithTimeoutCause(ctx, opt.timeout, fmt.Errorf("timed out after %v", opt.timeout))
	defer cancel()
	status, err := runIn(ctx, &opt, fs.Arg(0), fs.Args()[1:], stdout, stderr)
	if err != nil && ctx.Err() != nil {
		// Whatever broke, it broke because the time was up.
		err = context.Cause(ctx)
	}
	return status, err
}

// runIn builds or takes the test binary target, boots it and returns its
// exit status.
func runIn(ctx context.Context, opt *options, target string, testArgs []string, stdout, stderr io.Writer) (int, error) {
	logf := func(format string, a ...any) {
		if opt.verbose {
			fmt.Fprintf(stderr, "vmtest: "+format+"\n", a...)
		}
	}

	work, err := os.MkdirTemp("", "vmtest-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(work)

	// /init builds while the tests build and the kernel is found: on a
	// warm cache the builds are most of vmtest's own time.
	initBin := filepath.Join(work, "init")
	var initErr error
	var wg sync.WaitGroup
	defer wg.Wait() // before work is removed
	wg.Go(func() {
		initErr = goBuild(ctx, "build", "-ldflags=-s -w", "-o", initBin, vminitPackage)
	})

	testBin := target
	if st, err := os.Stat(target); err != nil || !st.Mode().IsRegular() {
		// Not a file: a package to build.
		testBin = filepath.Join(work, "pkg.test")
		logf("building %s", target)
		if err := goBuild(ctx, "test", "-c", "-o", testBin, target); err != nil {
			return 0, err
		}
		if _, err := os.Stat(testBin); err != nil {
			return 0, fmt.Errorf("package %q: no test binary built (no test files?)", target)
		}
		testArgs = testFlags(testArgs)
	}

	qemu, err := findQEMU()
	if err != nil {
		return 0, err
	}
	k, err := debianKernel(ctx, opt.cache, logf)
	if err != nil {
		return 0, fmt.Errorf("kernel: %w", err)
	}
	modules, err := moduleOrder(k.modDir, splitList(opt.modules))
	if err != nil {
		return 0, err
	}

	wg.Wait()
	if initErr != nil {
		return 0, fmt.Errorf("build /init: %w", initErr)
	}

	token := randomToken()
	cfg := bootcfg.Config{Args: testArgs, Env: guestEnv(opt.env), Token: token}
	files := []imageFile{
		{name: "/init", mode: 0o755, src: initBin},
		{name: bootcfg.TestPath, mode: 0o755, src: testBin},
	}
	for _, m := range modules {
		name := imageModuleName(m)
		data, err := readModule(filepath.Join(k.modDir, m))
		if err != nil {
			return 0, err
		}
		cfg.Modules = append(cfg.Modules, name)
		files = append(files, imageFile{name: bootcfg.ModuleDir + "/" + name, mode: 0o644, data: data})
	}
	extra, err := extraFiles(opt.files)
	if err != nil {
		return 0, err
	}
	files = append(files, extra...)
	libs, err := sharedLibs(testBin)
	if err != nil {
		return 0, fmt.Errorf("test binary %s: %w", testBin, err)
	}
	for _, f := range extra {
		if f.mode&0o111 == 0 {
			continue
		}
		more, err := sharedLibs(f.src)
		if err != nil {
			continue // an executable that is not ELF: a script, say
		}
		libs = append(libs, more...)
	}
	seenLib := map[string]bool{}
	for _, lib := range libs {
		if !seenLib[lib] {
			seenLib[lib] = true
			files = append(files, imageFile{name: lib, mode: 0o755, src: lib})
		}
	}
	cfgJSON, err := json.Marshal(cfg)
	if err != nil {
		return 0, err
	}
	files = append(files, imageFile{name: bootcfg.ConfigPath, mode: 0o644, data: cfgJSON})

	initrd := filepath.Join(work, "initramfs.cpio.gz")
	if err := writeInitramfs(initrd, files); err != nil {
		return 0, fmt.Errorf("initramfs: %w", err)
	}

	kernelLog := io.Discard
	if opt.verbose {
		kernelLog = stderr
	}
	v := vm{qemu: qemu, kernel: k, initrd: initrd, mem: opt.mem, cpus: guestCPUs}
	logf("booting %s with %d modules under %s (TCG); running %s %q", k.image, len(modules), qemu, testBin, testArgs)
	start := time.Now()
	var back map[string][]byte
	if opt.out != "" {
		back = map[string][]byte{}
	}
	status, err := v.boot(ctx, token, stdout, kernelLog, back)
	logf("the VM ran for %v", time.Since(start).Round(time.Millisecond))
	if err != nil {
		return status, err
	}
	for name, data := range back {
		dst := filepath.Join(opt.out, name)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return status, err
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			return status, err
		}
		logf("received %s (%d bytes)", dst, len(data))
	}
	return status, nil
}

// extraFiles reads the -file flags ("HOST:GUEST") into image files. GUEST
// must be absolute and may not replace what vmtest puts there itself.
func extraFiles(specs []string) ([]imageFile, error) {
	var files []imageFile
	for _, spec := range specs {
		host, guest, ok := strings.Cut(spec, ":")
		if !ok || host == "" || !filepath.IsAbs(guest) {
			return nil, fmt.Errorf("-file %q: want HOST:GUEST with an absolute GUEST path", spec)
		}
		guest = filepath.Clean(guest)
		switch guest {
		case "/init", bootcfg.ConfigPath, bootcfg.TestPath:
			return nil, fmt.Errorf("-file %q: %s is vmtest's own", spec, guest)
		}
		st, err := os.Stat(host)
		if err != nil {
			return nil, fmt.Errorf("-file %q: %w", spec, err)
		}
		if !st.Mode().IsRegular() {
			return nil, fmt.Errorf("-file %q: %s is not a regular file", spec, host)
		}
		files = append(files, imageFile{name: guest, mode: uint32(st.Mode().Perm()), src: host})
	}
	return files, nil
}

// writeInitramfs writes the initramfs holding files to path.
func writeInitramfs(path string, files []imageFile) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := writeImage(f, files); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// goBuild runs the go command for the guest: linux/amd64, and static,
// since the guest has no C library unless the image carries one.
func goBuild(ctx context.Context, args ...string) error {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}

// testFlags spells go test's flags (-run, -v) as the test binary's own
// (-test.run, -test.v). Arguments that are not flags stay as they are.
func testFlags(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "-test.") && len(a) > 1 {
			a = "-test." + strings.TrimLeft(a, "-")
		}
		out[i] = a
	}
	return out
}

// guestEnv returns the test binary's environment in the guest.
func guestEnv(extra []string) []string {
	env := []string{"PATH=/vmtest", "HOME=/tmp", "TMPDIR=/tmp"}
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(name, "SOCKBOOK_"), strings.HasPrefix(name, "VMTEST_"),
			name == "GODEBUG", name == "GOTRACEBACK", name == "GOMAXPROCS":
			env = append(env, kv)
		}
	}
	for _, e := range extra {
		if strings.Contains(e, "=") {
			env = append(env, e)
		} else if v, ok := os.LookupEnv(e); ok {
			env = append(env, e+"="+v)
		}
	}
	return env
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// randomToken returns a fresh token for the marker lines.
func randomToken() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}
