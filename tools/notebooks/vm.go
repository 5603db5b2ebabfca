package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Where the guest finds what runInVM puts into its image.
const (
	guestKernel = "/vmtest/bin/sockbook-kernel"
	// guestDir holds the notebooks: vmtest sends what is under
	// /vmtest/out back to the host (-out).
	guestDir = "/vmtest/out"
)

// vmRun is one run of notebooks inside the guest.
type vmRun struct {
	moduleDir   string
	kernel      string // the kernel binary, built for this machine (linux/amd64)
	paths       []string
	update      bool
	cellTimeout time.Duration
}

// runInVM runs the notebooks through this command inside a qemu guest
// (tools/vmtest): the runner, the kernel and the notebooks go into the
// guest's initramfs, the runner talks to the kernel over the guest's
// loopback, and with update the notebooks it rewrote come back over the
// console and replace the host's. The guest must meet every requirement a
// cell names (-strict), so a cell cannot pass there by being skipped.
func runInVM(ctx context.Context, r vmRun, out io.Writer) error {
	if r.moduleDir == "" {
		return fmt.Errorf("-vm: run it from the module, with notebooks of this checkout")
	}
	work, err := os.MkdirTemp("", "notebooks-vm-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)

	runner := filepath.Join(work, "notebooks")
	build := exec.CommandContext(ctx, "go", "build", "-o", runner, "./tools/notebooks")
	build.Dir = r.moduleDir
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64")
	if b, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("build the runner for the guest: %w\n%s", err, b)
	}

	back := filepath.Join(work, "out")
	// Under TCG the guest's cells run several times slower than here
	// (chapter 08: about 11 s in the guest), hence the longer limits.
	args := []string{"run", "./tools/vmtest", "-mem", "1G", "-timeout", "20m", "-out", back,
		"-file", r.kernel + ":" + guestKernel}
	// The ARP sniffer's cell builds its namespaces with ip(8); the image
	// has no iproute2 of its own, so the host's comes along (with its
	// shared libraries). Without it that one cell fails, naming ip.
	if ip, err := exec.LookPath("ip"); err == nil {
		args = append(args, "-file", ip+":/vmtest/ip")
	}
	var guestPaths []string
	for _, p := range r.paths {
		g := guestDir + "/" + filepath.Base(p)
		args = append(args, "-file", p+":"+g)
		guestPaths = append(guestPaths, g)
	}
	args = append(args, runner, "-kernel", guestKernel, "-strict", "-parallel", "1",
		"-timeout", (r.cellTimeout * 4).String())
	if r.update {
		args = append(args, "-update")
	}
	args = append(args, guestPaths...)

	fmt.Fprintf(out, "booting a qemu guest for %d notebook(s); the guest's output follows\n", len(r.paths))
	start := time.Now()
	vm := exec.CommandContext(ctx, "go", args...)
	vm.Dir = r.moduleDir
	vm.Stdout, vm.Stderr = out, os.Stderr
	runErr := vm.Run()
	fmt.Fprintf(out, "the guest run took %v\n", time.Since(start).Round(time.Second))
	if runErr != nil {
		return fmt.Errorf("in the guest: %w", runErr)
	}
	if !r.update {
		return nil
	}
	for _, p := range r.paths {
		b, err := os.ReadFile(filepath.Join(back, filepath.Base(p)))
		if err != nil {
			return fmt.Errorf("the guest sent %s back: %w", filepath.Base(p), err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "stored the guest's outputs in %s\n", strings.Join(r.paths, ", "))
	return nil
}
