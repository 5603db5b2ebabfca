package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/sockbook/sockbook/tools/vmtest/internal/bootcfg"
)

// powerOffGrace is how long the guest may take to power off after the
// exit line before it is killed: its report is complete by then.
const powerOffGrace = 5 * time.Second

// consoleTail bounds the kernel output kept for an error message.
const consoleTail = 16 << 10

// errNoExitLine means the guest stopped without reporting a status: it
// crashed, /init could not run, or the kernel did not boot.
var errNoExitLine = errors.New("the VM stopped without printing the exit line")

// qemuProgram is the emulator that boots the kernel, and qemuPackage the
// Debian package that has it.
const (
	qemuProgram = "qemu-system-x86_64"
	qemuPackage = "qemu-system-x86"
)

// findQEMU returns the path of qemu-system-x86_64, or an error that names
// the package to install.
func findQEMU() (string, error) {
	p, err := exec.LookPath(qemuProgram)
	if err != nil {
		return "", fmt.Errorf("%s not found: install Debian's %s package (apt-get install --no-install-recommends %s): %w",
			qemuProgram, qemuPackage, qemuPackage, err)
	}
	return p, nil
}

// vm is how a kernel is booted.
type vm struct {
	qemu   string // the qemu-system-x86_64 program
	kernel kernel
	initrd string // the initramfs file
	mem    string // guest memory, as qemu's -m takes it ("512M")
	cpus   int
}

// qemuArgs returns qemu's command line for v. The machine is emulated in
// software (TCG), never with KVM: vmtest must work where /dev/kvm is
// missing or not the user's, and behave the same everywhere. "max" is the
// CPU model with every feature TCG emulates (SSE4, AES-NI, PCLMULQDQ, AVX2
// and XSAVE among them), so that the guest's Go code and kernel take the
// same paths as on real hardware; it is the same on every host. The
// guest's only device is the serial line of its console, on qemu's
// standard output: no network, no disk, no display.
func (v vm) qemuArgs() []string {
	return []string{
		"-nodefaults", "-no-user-config",
		"-machine", "pc", "-accel", "tcg", "-cpu", "max",
		"-smp", strconv.Itoa(v.cpus), "-m", v.mem,
		"-display", "none", "-serial", "stdio", "-monitor", "none",
		"-no-reboot",
		"-kernel", v.kernel.image, "-initrd", v.initrd,
		// panic=-1 reboots at once on a panic, and -no-reboot turns
		// the reboot into qemu's exit.
		"-append", "console=ttyS0 quiet panic=-1",
	}
}

// boot boots v, copies the program's output (the console lines between
// the start and exit lines of the boot with token) to out, puts the files
// the guest sent back into files (when not nil), and returns the status
// from the exit line. The console before the start line is the
// kernel's own; it goes to kernelLog, and is quoted in the error when no
// exit line came.
func (v vm) boot(ctx context.Context, token string, out, kernelLog io.Writer, files map[string][]byte) (int, error) {
	cmd := exec.CommandContext(ctx, v.qemu, v.qemuArgs()...)
	// The guest reads nothing from the host: its console's input is
	// /dev/null (os/exec's default), which also keeps qemu from putting
	// a terminal into raw mode.
	cmd.Stdin = nil
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = time.Second
	tail := &tailBuffer{max: consoleTail}
	log := io.MultiWriter(tail, kernelLog)
	cmd.Stderr = log
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return 0, err
	}
	if err := cmd.Start(); err != nil {
		return 0, fmt.Errorf("start %s: %w", v.qemu, err)
	}

	status, scanErr := scanConsole(stdout, token, out, log, files)
	if scanErr == nil {
		// The report is in; whatever the guest still does is shutdown.
		timer := time.AfterFunc(powerOffGrace, func() { _ = cmd.Cancel() })
		defer timer.Stop()
	}
	_, _ = io.Copy(log, stdout)
	waitErr := cmd.Wait()
	if scanErr != nil {
		return 0, fmt.Errorf("%w (%s: %v); console:\n%s", scanErr, qemuProgram, waitErr, tail.Bytes())
	}
	return status, nil
}

// scanConsole reads the guest's console from r: lines before the start
// line go to log, lines after it to out until the exit line, whose status
// it returns. Out lines (bootcfg.OutLine) between them are files the guest
// sends back: their contents are appended to files[path], or dropped when
// files is nil.
func scanConsole(r io.Reader, token string, out, log io.Writer, files map[string][]byte) (int, error) {
	start := bootcfg.StartLine(token)
	exitPrefix := strings.TrimSuffix(bootcfg.ExitLine(token, 0), "0")
	outPrefix := bootcfg.OutPrefix(token)
	br := bufio.NewReader(r)
	started := false
	for {
		line, err := br.ReadString('\n')
		if !started {
			if strings.TrimRight(line, "\r\n") == start {
				started = true
			} else {
				_, _ = io.WriteString(log, line)
			}
		} else if i := strings.Index(line, exitPrefix); i >= 0 {
			// The program's last line may lack its newline, leaving
			// output in front of the marker.
			_, _ = io.WriteString(out, line[:i])
			field := strings.TrimRight(line[i+len(exitPrefix):], "\r\n")
			status, convErr := strconv.Atoi(field)
			if convErr != nil {
				return 0, fmt.Errorf("exit line %q: bad status: %w", strings.TrimSpace(line), convErr)
			}
			return status, nil
		} else if i := strings.Index(line, outPrefix); i >= 0 {
			_, _ = io.WriteString(out, line[:i])
			if err := receiveOut(strings.TrimRight(line[i+len(outPrefix):], "\r\n"), files); err != nil {
				return 0, err
			}
		} else if _, werr := io.WriteString(out, line); werr != nil {
			return 0, werr
		}
		if err == io.EOF {
			return 0, errNoExitLine
		}
		if err != nil {
			return 0, fmt.Errorf("read console: %w", err)
		}
	}
}

// receiveOut decodes the fields of one out line ("path data", both
// base64) into files. The path must stay inside the output folder.
func receiveOut(fields string, files map[string][]byte) error {
	b64Path, b64Data, _ := strings.Cut(fields, " ")
	rawPath, err := base64.StdEncoding.DecodeString(b64Path)
	if err != nil {
		return fmt.Errorf("out line: bad path %q: %w", b64Path, err)
	}
	data, err := base64.StdEncoding.DecodeString(b64Data)
	if err != nil {
		return fmt.Errorf("out line for %q: bad data: %w", rawPath, err)
	}
	name := string(rawPath)
	if !filepath.IsLocal(name) {
		return fmt.Errorf("out line: path %q leaves the output folder", name)
	}
	if files != nil {
		files[name] = append(files[name], data...)
	}
	return nil
}

// tailBuffer keeps the last max bytes written to it. The console and the
// kernel's stderr are written from different goroutines.
type tailBuffer struct {
	max int
	mu  sync.Mutex
	buf []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = t.buf[over:]
	}
	return len(p), nil
}

// Bytes returns what the buffer holds, without trailing blank lines.
func (t *tailBuffer) Bytes() []byte {
	t.mu.Lock()
	defer t.mu.Unlock()
	return bytes.TrimRight(t.buf, "\r\n")
}
