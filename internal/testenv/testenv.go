// Package testenv lets tests state what they need from the machine — root,
// IPv6 loopback, a C toolchain, AF_ALG — and skip with that reason where it
// is missing.
//
// A skip is not a pass. An environment that promises a requirement lists it
// in SOCKBOOK_REQUIRE (comma-separated, or "all"); there a missing
// requirement fails the test instead of skipping it. CI sets the variable, so
// the privileged paths it can provide are never silently skipped.
package testenv

import (
	"net"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// Requirement names, as used in SOCKBOOK_REQUIRE.
const (
	Root  = "root"  // euid 0, for raw sockets and network namespaces
	IPv6  = "ipv6"  // a usable ::1
	Glibc = "glibc" // tests built with -tags glibc and cgo, against the C library
	AFALG = "afalg" // the kernel's crypto API over AF_ALG sockets
	VM    = "vm"    // qemu and a Debian kernel to boot a guest (tools/vmtest)

	// IOAcct is the kernel's per-thread I/O accounting
	// (/proc/thread-self/io, CONFIG_TASK_IO_ACCOUNTING).
	IOAcct = "ioacct"
	// Jupyter is Debian's Jupyter: python3-nbformat, nbclient, the
	// notebook server and console (.ci/run installs them).
	Jupyter = "jupyter"
	// Cpio is GNU cpio, the independent reader tools/vmtest/cpio's
	// archives are checked against.
	Cpio = "cpio"
	// IPRoute is the ip command of iproute2, which makes the network
	// namespaces and veth pairs of the sniffer tests.
	IPRoute = "iproute2"
	// CrossFS is /dev/shm and the temporary directory on file systems of
	// different types, where copy_file_range must fall back.
	CrossFS = "crossfs"
)

// Required reports whether SOCKBOOK_REQUIRE promises name.
func Required(name string) bool {
	list := strings.Split(os.Getenv("SOCKBOOK_REQUIRE"), ",")
	return slices.Contains(list, name) || slices.Contains(list, "all")
}

// Skip skips t with reason when requirement name is not met, or fails t when
// the environment promised it.
func Skip(t testing.TB, name, reason string) {
	t.Helper()
	if Required(name) {
		t.Fatalf("requirement %q is promised by SOCKBOOK_REQUIRE but not met: %s", name, reason)
	}
	t.Skipf("needs %s: %s", name, reason)
}

// MustBeRoot skips (or fails, see Skip) unless the test runs as root.
func MustBeRoot(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 {
		Skip(t, Root, "not running as root")
	}
}

// MustHaveIPv6 skips (or fails, see Skip) unless a socket can bind to ::1.
func MustHaveIPv6(t testing.TB) {
	t.Helper()
	ln, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		Skip(t, IPv6, "cannot listen on [::1]: "+err.Error())
		return
	}
	ln.Close()
}

// Chromium is the requirement name for a Chromium browser (see
// ChromiumPath).
const Chromium = "chromium"

// ChromiumPath returns the browser that SOCKBOOK_CHROMIUM names, or
// Debian's chromium; it skips (or fails, see Skip) when there is none.
func ChromiumPath(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("SOCKBOOK_CHROMIUM"); p != "" {
		if _, err := exec.LookPath(p); err != nil {
			Skip(t, Chromium, "SOCKBOOK_CHROMIUM="+p+": "+err.Error())
		}
		return p
	}
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser", "chromium"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	Skip(t, Chromium, "no chromium (apt-get install chromium, or set SOCKBOOK_CHROMIUM)")
	return ""
}
