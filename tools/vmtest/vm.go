package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
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

// bootUML boots k with initrd as its initramfs and mem bytes of memory,
// copies the program's output (the console lines between the start and
// exit lines of the boot with token) to out, and returns the status from
// the exit line. The console before the start line is the kernel's own;
// it goes to kernelLog, and is quoted in the error when no exit line came.
func bootUML(ctx context.Context, k kernel, initrd, mem, token string, out, kernelLog io.Writer) (int, error) {
	// con0 is the guest's /dev/console, written to our stdout pipe; every
	// other console and serial line is off so the guest reads nothing from
	// the host.
	cmd := exec.CommandContext(ctx, k.binary,
		"mem="+mem, "initrd="+initrd,
		"con=null", "ssl=null", "con0=null,fd:1",
		"quiet", "panic=-1")
	// UML runs the guest's processes as host processes of its own: kill
	// them all together.
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
		return 0, fmt.Errorf("start %s: %w", k.binary, err)
	}

	status, scanErr := scanConsole(stdout, token, out, log)
	if scanErr == nil {
		// The report is in; whatever the guest still does is shutdown.
		timer := time.AfterFunc(powerOffGrace, func() { _ = cmd.Cancel() })
		defer timer.Stop()
	}
	_, _ = io.Copy(log, stdout)
	waitErr := cmd.Wait()
	if scanErr != nil {
		return 0, fmt.Errorf("%w (%s: %v); console:\n%s", scanErr, k.binary, waitErr, tail.Bytes())
	}
	return status, nil
}

// scanConsole reads the guest's console from r: lines before the start
// line go to log, lines after it to out until the exit line, whose status
// it returns.
func scanConsole(r io.Reader, token string, out, log io.Writer) (int, error) {
	start := bootcfg.StartLine(token)
	exitPrefix := strings.TrimSuffix(bootcfg.ExitLine(token, 0), "0")
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
