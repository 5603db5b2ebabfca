package jupyter

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// ConnectionInfo is the content of a kernel connection file: where the
// kernel listens and how messages are signed.
type ConnectionInfo struct {
	Transport       string `json:"transport"`
	IP              string `json:"ip"`
	ShellPort       int    `json:"shell_port"`
	IOPubPort       int    `json:"iopub_port"`
	StdinPort       int    `json:"stdin_port"`
	ControlPort     int    `json:"control_port"`
	HBPort          int    `json:"hb_port"`
	SignatureScheme string `json:"signature_scheme"`
	Key             string `json:"key"`
	KernelName      string `json:"kernel_name,omitempty"`
}

// NewConnectionInfo returns connection settings for a kernel on loopback:
// five ports that were free a moment ago and a random 256-bit signing key.
//
// The ports are found by binding to port 0 and closing again, so another
// process may take one before the kernel binds it; Start then fails, and a
// retry picks new ports.
func NewConnectionInfo() (ConnectionInfo, error) {
	var ports [5]int
	var listeners []net.Listener
	defer func() {
		for _, l := range listeners {
			l.Close()
		}
	}()
	for i := range ports {
		// Holding all five open until the end keeps them distinct.
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return ConnectionInfo{}, fmt.Errorf("jupyter: find a free port: %w", err)
		}
		listeners = append(listeners, l)
		ports[i] = l.Addr().(*net.TCPAddr).Port
	}
	key := make([]byte, 32)
	rand.Read(key) // never fails on Linux
	return ConnectionInfo{
		Transport:       "tcp",
		IP:              "127.0.0.1",
		ShellPort:       ports[0],
		IOPubPort:       ports[1],
		StdinPort:       ports[2],
		ControlPort:     ports[3],
		HBPort:          ports[4],
		SignatureScheme: "hmac-sha256",
		Key:             hex.EncodeToString(key),
	}, nil
}

// endpoint returns the ZeroMQ address of port.
func (ci ConnectionInfo) endpoint(port int) string {
	return fmt.Sprintf("%s://%s:%d", ci.Transport, ci.IP, port)
}

// A KernelSpec says how to start a kernel: the content of a kernelspec's
// kernel.json.
type KernelSpec struct {
	// Argv is the command line; "{connection_file}" in it is replaced by
	// the connection file's path.
	Argv        []string `json:"argv"`
	DisplayName string   `json:"display_name"`
	Language    string   `json:"language"`
	// InterruptMode is "signal" (SIGINT, the default) or "message"
	// (interrupt_request on the control channel).
	InterruptMode string            `json:"interrupt_mode,omitempty"`
	Env           map[string]string `json:"env,omitempty"`
}

// ReadKernelSpec reads a kernelspec's kernel.json.
func ReadKernelSpec(file string) (KernelSpec, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return KernelSpec{}, fmt.Errorf("jupyter: read kernelspec: %w", err)
	}
	var spec KernelSpec
	if err := json.Unmarshal(b, &spec); err != nil {
		return KernelSpec{}, fmt.Errorf("jupyter: kernelspec %s: %w", file, err)
	}
	if len(spec.Argv) == 0 {
		return KernelSpec{}, fmt.Errorf("jupyter: kernelspec %s: empty argv", file)
	}
	return spec, nil
}

// A Kernel is a running kernel process that a Client can talk to.
type Kernel struct {
	// Info is where the kernel listens, as written to its connection file.
	Info ConnectionInfo
	// Spec is the kernelspec it was started from.
	Spec KernelSpec

	cmd     *exec.Cmd
	dir     string // holds the connection file
	done    chan struct{}
	waitErr error // set before done is closed
	once    sync.Once
}

// StartKernel writes a connection file and starts the kernel spec
// describes. The kernel's stdout and stderr go to the given writers' files
// (nil discards them). The caller must call Close, which also ends the
// process if it still runs.
func StartKernel(spec KernelSpec, stdout, stderr *os.File) (*Kernel, error) {
	if len(spec.Argv) == 0 {
		return nil, errors.New("jupyter: start kernel: kernelspec has empty argv")
	}
	info, err := NewConnectionInfo()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "jupyter-kernel-")
	if err != nil {
		return nil, fmt.Errorf("jupyter: start kernel: %w", err)
	}
	connFile := filepath.Join(dir, "connection.json")
	b, err := json.Marshal(info)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	// The file holds the signing key: only its owner may read it.
	if err := os.WriteFile(connFile, b, 0o600); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("jupyter: start kernel: %w", err)
	}
	argv := make([]string, len(spec.Argv))
	for i, a := range spec.Argv {
		argv[i] = strings.ReplaceAll(a, "{connection_file}", connFile)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = os.Environ()
	for k, v := range spec.Env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	// Its own process group, so that a terminal's Ctrl-C meant for us
	// does not reach the kernel.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("jupyter: start kernel %s: %w", argv[0], err)
	}
	k := &Kernel{Info: info, Spec: spec, cmd: cmd, dir: dir, done: make(chan struct{})}
	go func() {
		k.waitErr = cmd.Wait()
		close(k.done)
	}()
	return k, nil
}

// Pid returns the kernel's process ID.
func (k *Kernel) Pid() int { return k.cmd.Process.Pid }

// Done is closed when the kernel process has exited.
func (k *Kernel) Done() <-chan struct{} { return k.done }

// Wait waits for the kernel process to exit, or for ctx to end, and returns
// how it exited.
func (k *Kernel) Wait(ctx context.Context) error {
	select {
	case <-k.done:
		return k.waitErr
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Signal sends sig to the kernel process.
func (k *Kernel) Signal(sig os.Signal) error {
	select {
	case <-k.done:
		return errors.New("jupyter: kernel has exited")
	default:
	}
	return k.cmd.Process.Signal(sig)
}

// Close ends the kernel: if the process still runs after a shutdown
// request had its chance, it gets SIGTERM, then SIGKILL after grace. Close
// waits for the exit and removes the connection file. It returns nil when
// the process is gone, whatever its exit status.
func (k *Kernel) Close(grace time.Duration) error {
	k.once.Do(func() {
		defer os.RemoveAll(k.dir)
		select {
		case <-k.done:
			return
		default:
		}
		k.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-k.done:
		case <-time.After(grace):
			k.cmd.Process.Kill()
			<-k.done
		}
	})
	return nil
}
