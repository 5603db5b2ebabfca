// Command vminit is the /init of the initramfs that vmtest boots. It runs
// as process 1 of a throwaway kernel: it mounts proc, sys and devtmpfs,
// loads the kernel modules the host picked (there is no modprobe in the
// image, so dependencies come first in the list), writes the few system
// files programs expect (/etc/hosts, a host name, /run and /tmp), brings
// the loopback interface up, runs the test program with the arguments and environment
// from bootcfg.ConfigPath, sends the files of bootcfg.OutDir back over the
// console, prints the exit marker line and powers the machine off.
//
// It must be linked statically (CGO_ENABLED=0): the image has no C library
// of its own.
package main

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/sockbook/sockbook/tools/vmtest/internal/bootcfg"
)

func main() {
	run()
	// Neither UML nor qemu passes a guest's exit status on, so the marker
	// line is the only report; sync first so it is not lost in a buffer.
	unix.Sync()
	if err := unix.Reboot(unix.LINUX_REBOOT_CMD_POWER_OFF); err != nil {
		fmt.Fprintf(os.Stderr, "vminit: power off: %v\n", err)
	}
	// Process 1 must not return: the kernel would panic.
	select {}
}

// run prepares the machine, runs the program and prints the exit line.
func run() {
	cfg, err := setup()
	if err != nil {
		fmt.Fprintf(os.Stderr, "vminit: %v\n", err)
		// Without a config there is no token and so no exit line the
		// host would trust: it reports the missing marker instead.
		if cfg.Token != "" {
			fmt.Println(bootcfg.ExitLine(cfg.Token, bootcfg.ExitSetupFailed))
		}
		return
	}
	fmt.Println(bootcfg.StartLine(cfg.Token))
	status := runProgram(cfg)
	if err := sendOut(cfg.Token); err != nil {
		fmt.Fprintf(os.Stderr, "vminit: send %s back: %v\n", bootcfg.OutDir, err)
		if status == 0 {
			status = bootcfg.ExitSetupFailed
		}
	}
	fmt.Println(bootcfg.ExitLine(cfg.Token, status))
}

// sendOut prints every regular file under bootcfg.OutDir as OutLines. The
// first line starts on a line of its own, whatever the program printed
// last.
func sendOut(token string) error {
	first := true
	return filepath.WalkDir(bootcfg.OutDir, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && path == bootcfg.OutDir {
			return nil
		}
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		rel, err := filepath.Rel(bootcfg.OutDir, path)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if first {
			fmt.Println()
			first = false
		}
		name := base64.StdEncoding.EncodeToString([]byte(filepath.ToSlash(rel)))
		for {
			n := min(len(data), bootcfg.OutChunk)
			fmt.Println(bootcfg.OutLine(token, name, base64.StdEncoding.EncodeToString(data[:n])))
			data = data[n:]
			if len(data) == 0 {
				return nil
			}
		}
	})
}

// loopbackUp brings lo up, as the boot scripts of a full system would:
// programs in the guest talk to each other over 127.0.0.1.
func loopbackUp() error {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("loopback: %w", err)
	}
	defer unix.Close(fd)
	ifr, err := unix.NewIfreq("lo")
	if err != nil {
		return fmt.Errorf("loopback: %w", err)
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr); err != nil {
		return fmt.Errorf("loopback: get flags: %w", err)
	}
	ifr.SetUint16(ifr.Uint16() | unix.IFF_UP)
	if err := unix.IoctlIfreq(fd, unix.SIOCSIFFLAGS, ifr); err != nil {
		return fmt.Errorf("loopback: set up: %w", err)
	}
	return nil
}

func setup() (bootcfg.Config, error) {
	var cfg bootcfg.Config
	data, err := os.ReadFile(bootcfg.ConfigPath)
	if err != nil {
		return cfg, err
	}
	if err := json.Unmarshal(data, &cfg); err != nil {
		return cfg, fmt.Errorf("config %s: %w", bootcfg.ConfigPath, err)
	}
	if err := mountAll(); err != nil {
		return cfg, err
	}
	if err := rawConsole(); err != nil {
		return cfg, err
	}
	if err := systemFiles(); err != nil {
		return cfg, err
	}
	for _, name := range cfg.Modules {
		if err := loadModule(filepath.Join(bootcfg.ModuleDir, name)); err != nil {
			return cfg, err
		}
	}
	return cfg, loopbackUp()
}

func mountAll() error {
	for _, m := range []struct{ fstype, target string }{
		{"proc", "/proc"},
		{"sysfs", "/sys"},
		{"devtmpfs", "/dev"},
	} {
		if err := os.MkdirAll(m.target, 0o755); err != nil {
			return err
		}
		if err := unix.Mount(m.fstype, m.target, m.fstype, 0, ""); err != nil {
			return fmt.Errorf("mount %s on %s: %w", m.fstype, m.target, err)
		}
	}
	return nil
}

// guestHostname is the guest's host name, which /etc/hosts resolves.
const guestHostname = "sockbook-vm"

// systemFiles gives the image what a booted system has and programs rely
// on: /etc/hosts, without which Go's resolver sends even "localhost" to a
// DNS server the guest does not have; a host name; and /run and /tmp
// (ip netns keeps its namespaces under /run/netns).
func systemFiles() error {
	for _, dir := range []string{"/etc", "/run", "/tmp"} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	if err := os.Chmod("/tmp", 0o1777); err != nil {
		return err
	}
	hosts := "127.0.0.1\tlocalhost " + guestHostname + "\n::1\tlocalhost ip6-localhost ip6-loopback\n"
	if err := os.WriteFile("/etc/hosts", []byte(hosts), 0o644); err != nil {
		return err
	}
	if err := unix.Sethostname([]byte(guestHostname)); err != nil {
		return fmt.Errorf("set host name: %w", err)
	}
	return nil
}

// rawConsole stops the console from turning "\n" into "\r\n", so that the
// host sees the program's output byte for byte.
func rawConsole() error {
	t, err := unix.IoctlGetTermios(1, unix.TCGETS)
	if err != nil {
		// Not a terminal (a serial line the VMM passes through as a
		// pipe): there is nothing to translate.
		return nil
	}
	t.Oflag &^= unix.OPOST
	if err := unix.IoctlSetTermios(1, unix.TCSETS, t); err != nil {
		return fmt.Errorf("console: set termios: %w", err)
	}
	return nil
}

func loadModule(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	err = unix.FinitModule(int(f.Fd()), "", 0)
	if err != nil && !errors.Is(err, unix.EEXIST) {
		return fmt.Errorf("load module %s: %w", path, err)
	}
	return nil
}

func runProgram(cfg bootcfg.Config) int {
	if err := os.MkdirAll(bootcfg.WorkDir, 0o755); err != nil {
		fmt.Fprintf(os.Stderr, "vminit: %v\n", err)
		return bootcfg.ExitSetupFailed
	}
	cmd := exec.Command(bootcfg.TestPath, cfg.Args...)
	cmd.Env = cfg.Env
	cmd.Dir = bootcfg.WorkDir
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal())
		}
		return exit.ExitCode()
	default:
		fmt.Fprintf(os.Stderr, "vminit: %v\n", err)
		return bootcfg.ExitSetupFailed
	}
}
