package main

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
	"github.com/stretchr/testify/require"

	"github.com/sockbook/sockbook/tools/jupyter"
	"github.com/sockbook/sockbook/tools/kernel/kernelbin"
)

// The kernel's latency benchmarks, against the targets of the kernel
// issue: start ≤ 100 ms, a trivial cell ≤ 1 ms, inspect ≤ 20 ms, interrupt
// to idle ≤ 200 ms for every blocking cell of TestInterrupt (medians).
// Each reports its median and 90th percentile in milliseconds; `go run
// ./tools/bench kernel` runs them all and writes the table, reading every
// sample from -kernel.samples:
//
//	go test -run '^$' -bench 'KernelStart|TrivialCell|Inspect|Complete|Interrupt' ./tools/kernel

// samplesFile is where the benchmarks append their samples, one JSON
// object a line, for tools/bench.
var samplesFile = flag.String("kernel.samples", "", "append each benchmark's samples, as JSON lines, to this file")

// BenchSamples is one line of -kernel.samples: what one run of one
// benchmark measured. tools/bench decodes the same fields.
type BenchSamples struct {
	Name    string          `json:"name"` // b.Name(), as in "BenchmarkInterrupt/sleep"
	Samples []time.Duration `json:"samples_ns"`
}

var samplesMu sync.Mutex

// reportTimes adds the median (reportMedian) and the 90th percentile of
// times to b's results, in milliseconds, and appends them to
// -kernel.samples when it is set.
func reportTimes(b *testing.B, times []time.Duration) {
	b.Helper()
	reportMedian(b, times) // sorts times
	if len(times) == 0 {
		return
	}
	// The 90th percentile by nearest rank, as tools/bench computes it.
	p90 := times[(len(times)*9+9)/10-1]
	b.ReportMetric(float64(p90)/float64(time.Millisecond), "p90-ms")
	if *samplesFile == "" {
		return
	}
	line, err := json.Marshal(BenchSamples{Name: b.Name(), Samples: times})
	require.NoError(b, err)
	samplesMu.Lock()
	defer samplesMu.Unlock()
	f, err := os.OpenFile(*samplesFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	require.NoError(b, err)
	_, err = f.Write(append(line, '\n'))
	require.NoError(b, errors.Join(err, f.Close()))
}

// BenchmarkKernelStart measures starting a kernel process, fresh each
// iteration: until it answers a kernel_info_request on its shell channel
// (kernel_info_reply, what the kernel's start costs), and until a
// jupyter.Client is ready (Kernel.Dial, which also waits for iopub to
// deliver, as every tool of this repository does before its first cell).
func BenchmarkKernelStart(b *testing.B) {
	path, err := kernelPath()
	require.NoError(b, err, "building the kernel")
	spec := kernelbin.Spec(path)
	for _, until := range []struct {
		name string
		// wait returns when the kernel is up, and what to close then.
		wait func(context.Context, *jupyter.Kernel) (func(), error)
	}{
		{"kernel_info_reply", func(ctx context.Context, k *jupyter.Kernel) (func(), error) {
			return func() {}, kernelInfoReply(ctx, k.Info)
		}},
		{"client_ready", func(ctx context.Context, k *jupyter.Kernel) (func(), error) {
			c, err := k.Dial(ctx)
			if err != nil {
				return func() {}, err
			}
			return func() { c.Close() }, nil
		}},
	} {
		b.Run(until.name, func(b *testing.B) {
			var times []time.Duration
			for b.Loop() {
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				start := time.Now()
				k, err := jupyter.StartKernel(spec, nil, os.Stderr)
				require.NoError(b, err)
				done, err := until.wait(ctx, k)
				took := time.Since(start)
				b.StopTimer()
				done()
				cancel()
				k.Close(2 * time.Second)
				b.StartTimer()
				require.NoError(b, err)
				times = append(times, took)
			}
			reportTimes(b, times)
		})
	}
}

// kernelInfoReply connects to the shell port of a kernel that is starting,
// retrying every millisecond until the port is bound, sends one
// kernel_info_request and waits for the reply. It speaks the wire protocol
// itself: jupyter.Client's Dial waits for iopub too.
func kernelInfoReply(ctx context.Context, info jupyter.ConnectionInfo) error {
	sock := zmq4.NewDealer(ctx, zmq4.WithDialerMaxRetries(0))
	defer sock.Close()
	ep := fmt.Sprintf("%s://%s:%d", info.Transport, info.IP, info.ShellPort)
	for {
		err := sock.Dial(ep)
		if err == nil {
			break
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("shell port not bound: %w (last error: %v)", ctx.Err(), err)
		case <-time.After(time.Millisecond):
		}
	}
	id := make([]byte, 16)
	rand.Read(id)
	header, err := json.Marshal(jupyter.Header{
		MsgID: hex.EncodeToString(id), Session: hex.EncodeToString(id), Username: "bench",
		Date: time.Now().UTC().Format(time.RFC3339Nano), MsgType: "kernel_info_request", Version: jupyter.ProtocolVersion,
	})
	if err != nil {
		return err
	}
	empty := []byte("{}")
	mac := hmac.New(sha256.New, []byte(info.Key))
	for _, part := range [][]byte{header, empty, empty, empty} {
		mac.Write(part)
	}
	sig := []byte(hex.EncodeToString(mac.Sum(nil)))
	if err := sock.SendMulti(zmq4.NewMsgFrom([]byte("<IDS|MSG>"), sig, header, empty, empty, empty)); err != nil {
		return fmt.Errorf("send kernel_info_request: %w", err)
	}
	msg, err := sock.Recv()
	if err != nil {
		return fmt.Errorf("receive kernel_info_reply: %w", err)
	}
	i := slices.IndexFunc(msg.Frames, func(f []byte) bool { return string(f) == "<IDS|MSG>" })
	if i < 0 || len(msg.Frames) < i+6 {
		return fmt.Errorf("malformed reply of %d frames", len(msg.Frames))
	}
	var h jupyter.Header
	if err := json.Unmarshal(msg.Frames[i+2], &h); err != nil {
		return err
	}
	if h.MsgType != "kernel_info_reply" {
		return fmt.Errorf("kernel_info_request answered with %s", h.MsgType)
	}
	return nil
}

// BenchmarkTrivialCell measures executing 1+1 on a running kernel, from
// execute_request to both execute_reply and status idle.
func BenchmarkTrivialCell(b *testing.B) {
	_, c := startKernel(b)
	ctx := context.Background()
	var times []time.Duration
	for b.Loop() {
		start := time.Now()
		ex, err := c.Execute(ctx, "1+1")
		took := time.Since(start)
		require.NoError(b, err)
		require.Equal(b, "ok", ex.Reply.Status, ex.Reply.EValue)
		times = append(times, took)
	}
	reportTimes(b, times)
}

// BenchmarkInspect measures inspect_request (Shift-Tab) to its reply, on
// a linked package's function (its documentation) and on a cell's
// variable (its type, value and its type's documentation).
func BenchmarkInspect(b *testing.B) {
	_, c := startKernel(b)
	ex := execute(b, c, `import ("net"; "github.com/sockbook/sockbook/pkg/addr"); ln, _ := net.Listen("tcp", "127.0.0.1:0")`)
	require.Equal(b, "ok", ex.Reply.Status, ex.Reply.EValue)
	for _, tc := range []struct{ name, code, want string }{
		{"addr.InetAton", "addr.InetAton", "InetAton"},
		{"cell variable", "ln", "*net.TCPListener"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			ctx := context.Background()
			var times []time.Duration
			for b.Loop() {
				start := time.Now()
				r, err := c.Inspect(ctx, tc.code, len([]rune(tc.code)), 0)
				took := time.Since(start)
				require.NoError(b, err)
				require.True(b, r.Found, tc.code)
				require.Contains(b, r.Data["text/plain"], tc.want)
				times = append(times, took)
			}
			reportTimes(b, times)
		})
	}
}

// BenchmarkComplete measures complete_request (Tab) to its reply on
// strings.Spl.
func BenchmarkComplete(b *testing.B) {
	_, c := startKernel(b)
	execute(b, c, `import "strings"`)
	ctx := context.Background()
	const code = "strings.Spl"
	var times []time.Duration
	for b.Loop() {
		start := time.Now()
		r, err := c.Complete(ctx, code, len(code))
		took := time.Since(start)
		require.NoError(b, err)
		require.Contains(b, r.Matches, "Split")
		times = append(times, took)
	}
	reportTimes(b, times)
}

// BenchmarkInterrupt measures, for each blocking cell of TestInterrupt,
// the time from sending interrupt_request to the kernel's status idle
// for that cell (the end of Client.Execute), on one kernel. Its ns/op
// includes the runningFor each cell blocks before the interrupt; the
// median-ms and p90-ms metrics are the interrupt's alone.
func BenchmarkInterrupt(b *testing.B) { benchmarkInterrupt(b, "message") }

// BenchmarkInterruptSignal is BenchmarkInterrupt with SIGINT, the other
// interrupt mode TestInterrupt checks, timed from sending the signal.
func BenchmarkInterruptSignal(b *testing.B) { benchmarkInterrupt(b, "signal") }

// runningFor is how long each cell is left to block before the interrupt.
const runningFor = 50 * time.Millisecond

func benchmarkInterrupt(b *testing.B, mode string) {
	c := startQuietKernel(b, mode)
	execute(b, c, `import ("fmt"; "runtime"); kept := 41`)
	for _, tc := range interruptCases {
		b.Run(tc.name, func(b *testing.B) {
			// An eventloop.Server may be served once: a Serve cell needs
			// a fresh server each time. Other setups are kept.
			setupEach := strings.Contains(tc.code, ".Serve(")
			setup := func(code string) {
				if code != "" {
					ex := execute(b, c, code)
					require.Equal(b, "ok", ex.Reply.Status, "%s: %s", tc.name, ex.Reply.EValue)
				}
			}
			setup(tc.setup)
			var times []time.Duration
			for b.Loop() {
				if setupEach && len(times) > 0 {
					b.StopTimer()
					setup(tc.setup)
					b.StartTimer()
				}
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				done := make(chan *jupyter.Execution, 1)
				go func() {
					ex, err := c.Execute(ctx, tc.code)
					if err != nil {
						b.Error(err)
					}
					done <- ex
				}()
				time.Sleep(runningFor)
				start := time.Now()
				err := c.Interrupt(ctx)
				ex := <-done
				took := time.Since(start)
				cancel()
				require.NoError(b, err)
				require.NotNil(b, ex, tc.name)
				require.Equal(b, "interrupted", ex.Reply.EName, "%s: %s", tc.name, ex.Reply.EValue)
				times = append(times, took)
			}
			reportTimes(b, times)
			ex := execute(b, c, "fmt.Println(kept + 1)")
			require.Equal(b, "42\n", ex.Stdout(), "state after interrupting %s", tc.name)
		})
	}
}

// startQuietKernel is startKernelMode with the kernel's stderr kept in a
// file that the log shows only if b fails. A cell run again and again
// declares its variables again, and the interpreter warns about each on
// its stderr, which would cut go test's result lines apart.
func startQuietKernel(b *testing.B, interruptMode string) *jupyter.Client {
	b.Helper()
	path, err := kernelPath()
	require.NoError(b, err, "building the kernel")
	spec := kernelbin.Spec(path)
	spec.InterruptMode = interruptMode
	stderr, err := os.Create(filepath.Join(b.TempDir(), "kernel.stderr"))
	require.NoError(b, err)
	k, err := jupyter.StartKernel(spec, nil, stderr)
	require.NoError(b, err)
	b.Cleanup(func() {
		k.Close(2 * time.Second)
		if b.Failed() {
			out, _ := os.ReadFile(stderr.Name())
			b.Logf("the kernel's stderr:\n%s", out)
		}
		stderr.Close()
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := k.Dial(ctx)
	require.NoError(b, err, "connecting to the kernel")
	b.Cleanup(func() { c.Close() })
	return c
}
