package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// A serverProc is an echo server running in its own process, pinned to one
// CPU.
type serverProc struct {
	cmd  *exec.Cmd
	addr string
	pid  int
	done chan error // Wait's result
}

// startServer runs argv under taskset pinned to cpu and waits for its
// first line, which must be "listening on tcp ADDR".
func startServer(ctx context.Context, cpu int, argv ...string) (*serverProc, error) {
	args := append([]string{"-c", strconv.Itoa(cpu)}, argv...)
	cmd := exec.Command("taskset", args...)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", strings.Join(argv, " "), err)
	}
	p := &serverProc{cmd: cmd, pid: cmd.Process.Pid, done: make(chan error, 1)}
	first := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			first <- sc.Text()
		}
		close(first)
		// Keep draining so a chatty server never blocks on a full pipe.
		io.Copy(io.Discard, stdout)
		p.done <- cmd.Wait()
	}()
	timer := time.NewTimer(30 * time.Second)
	defer timer.Stop()
	select {
	case line, ok := <-first:
		addr, found := strings.CutPrefix(line, "listening on tcp ")
		if !ok || !found {
			p.stop()
			return nil, fmt.Errorf("%s: first line %q, want \"listening on tcp ADDR\"", strings.Join(argv, " "), line)
		}
		p.addr = addr
		return p, nil
	case <-timer.C:
	case <-ctx.Done():
	}
	p.stop()
	return nil, fmt.Errorf("%s: no address announced", strings.Join(argv, " "))
}

// stop asks the server to shut down with SIGTERM and kills it if it has
// not exited within ten seconds.
func (p *serverProc) stop() error {
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.done:
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.Sys().(syscall.WaitStatus).Signaled() {
			return nil // a server without a SIGTERM handler, such as cp, ends this way
		}
		return err
	case <-time.After(10 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
		return fmt.Errorf("pid %d ignored SIGTERM for 10s and was killed", p.pid)
	}
}

// usage reads the server's /proc figures.
func (p *serverProc) usage() (usage, error) { return readUsage(p.pid) }
