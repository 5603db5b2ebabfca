package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// TestMain lets the test binary stand in for the bench binary: the echo
// subcommand starts its servers as "<itself> serve ...".
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "serve" {
		if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(1)
		}
		os.Exit(0)
	}
	goleak.VerifyTestMain(m)
}

func TestUsage(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), nil, &out)
	assert.Error(t, err)
	err = run(context.Background(), []string{"-out", "", "nonsense"}, &out)
	assert.ErrorContains(t, err, `unknown subcommand "nonsense"`)
	err = run(context.Background(), []string{"-out", "", "echo", "-servers", "epoll,bogus"}, &out)
	assert.ErrorContains(t, err, `unknown server "bogus"`)
	err = run(context.Background(), []string{"-out", "", "echo", "-idle", "10,x"}, &out)
	assert.ErrorContains(t, err, `"x" is not a positive count`)
	err = run(context.Background(), []string{"-out", "", "serve", "-kind", "carrier-pigeon"}, &out)
	assert.ErrorContains(t, err, `unknown -kind "carrier-pigeon"`)
}

// TestServeKinds runs every server the echo subcommand measures, in
// process, and echoes through each.
func TestServeKinds(t *testing.T) {
	dir := t.TempDir()
	b, err := newEchoBench(context.Background(), echoOptions{}, dir)
	require.NoError(t, err)
	for _, kind := range serverKinds() {
		t.Run(kind, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			r, w := io.Pipe()
			done := make(chan error, 1)
			go func() {
				done <- run(ctx, []string{"serve", "-kind", kind, "-addr", "127.0.0.1:0", "-cert", b.cert, "-key", b.key}, w)
				w.Close()
			}()
			sc := bufio.NewScanner(r)
			require.True(t, sc.Scan())
			addr, ok := strings.CutPrefix(sc.Text(), "listening on tcp ")
			require.True(t, ok, sc.Text())
			go io.Copy(io.Discard, r)

			c, err := dialEcho(ctx, addr, net.IPv4(127, 0, 0, 2), b.tlsFor(kind))
			require.NoError(t, err)
			msg := bytes.Repeat([]byte(kind), 1000)
			require.NoError(t, echoOnce(c, msg, make([]byte, len(msg))))
			c.Close()
			cancel()
			require.NoError(t, <-done)
		})
	}
}

// TestEchoSmoke runs the echo subcommand end to end on two servers in
// their own processes, briefly, and checks the report it writes.
func TestEchoSmoke(t *testing.T) {
	out := t.TempDir()
	var stdout bytes.Buffer
	err := run(context.Background(), []string{"-out", out, "echo", "-servers", "epoll,goroutine", "-rounds", "1", "-gnet-rounds", "1",
		"-duration", "300ms", "-conns", "4", "-rate", "2000", "-idle", "20,40", "-used-size", "4096"}, &stdout)
	require.NoError(t, err)
	assert.Contains(t, stdout.String(), "Closed loop")

	var r Report
	data, err := os.ReadFile(filepath.Join(out, "echo.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &r))
	assert.Equal(t, "echo", r.Name)
	assert.NotEmpty(t, r.Machine.Kernel)
	require.Len(t, r.Tables, 3)
	for _, table := range r.Tables[:2] {
		require.Len(t, table.Rows, 2)
		for _, row := range table.Rows {
			assert.NotContains(t, row[1], "failed", "%s: %v", table.Title, row)
		}
	}
	for _, row := range r.Tables[2].Rows {
		assert.Equal(t, "40", row[4], "connections held: %v", row)
		assert.Equal(t, "0", row[5], "failed echoes: %v", row)
	}
	md, err := os.ReadFile(filepath.Join(out, "echo.md"))
	require.NoError(t, err)
	for _, c := range r.Charts {
		assert.Contains(t, string(md), "]("+c.File+")", "the Markdown shows each chart by relative path")
		assert.FileExists(t, filepath.Join(out, c.File))
	}
	assert.Contains(t, string(md), "Target: epoll user CPU per echo")
	var raw struct {
		Runs []EchoRun `json:"runs"`
	}
	rawJSON, err := json.Marshal(r.Raw)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(rawJSON, &raw))
	extra := 0
	for _, run := range raw.Runs {
		if run.Mode == "paced-gnet" {
			extra++
			assert.Equal(t, 2, run.Round, "the extra rounds number on from -rounds")
		}
	}
	assert.Equal(t, 2, extra, "one extra paced round of each of the two servers")
}

func TestDecodeAndAESGCMShort(t *testing.T) {
	var stdout bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-out", "", "-short", "decode", "-benchtime", "20ms"}, &stdout))
	assert.Contains(t, stdout.String(), "gopacket DecodingLayerParser")
	require.NoError(t, run(context.Background(), []string{"-out", "", "-short", "aes-gcm", "-n", "200"}, &stdout))
	assert.Contains(t, stdout.String(), "crypto/cipher (Go)")
}

func TestSendfileShort(t *testing.T) {
	var stdout bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-out", "", "-short", "sendfile", "-size", "4194304", "-dir", t.TempDir()}, &stdout))
	for _, m := range []string{"read/write 32 KiB", "io.Copy", "copy_file_range", "cp (coreutils)", "sendfile 64 KiB", "unix"} {
		assert.Contains(t, stdout.String(), m)
	}
	assert.NotContains(t, stdout.String(), "n/a")
}

func TestLoadRun(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				io.Copy(c, c)
			}()
		}
	}()
	ctx := context.Background()
	closed, err := Load{Addr: ln.Addr().String(), Conns: 3, Size: 100, Duration: 200 * time.Millisecond}.Run(ctx)
	require.NoError(t, err)
	assert.Positive(t, closed.Echoes)
	assert.Zero(t, closed.Errors)
	assert.LessOrEqual(t, closed.P50, closed.P99)

	paced, err := Load{Addr: ln.Addr().String(), Conns: 4, Size: 10, Rate: 200, Duration: 300 * time.Millisecond}.Run(ctx)
	require.NoError(t, err)
	// A paced run never sends ahead of its schedule: at most one echo per
	// connection per interval, starting at time zero.
	assert.LessOrEqual(t, paced.Echoes, int64(200*0.3)+4)
	assert.Positive(t, paced.Echoes)

	_, err = Load{Addr: ln.Addr().String(), Conns: 0, Size: 10, Duration: time.Second}.Run(ctx)
	assert.ErrorContains(t, err, "0 connections")
}

// TestLoadDialsBeforeOffer checks what the echo benchmark's CPU window
// relies on: every connection is open once Dial returns, and Offer opens
// none.
func TestLoadDialsBeforeOffer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	var accepted atomic.Int64
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			go func() {
				defer c.Close()
				io.Copy(c, c)
			}()
		}
	}()
	ctx := context.Background()
	load := Load{Addr: ln.Addr().String(), Conns: 3, Size: 10, Duration: 100 * time.Millisecond}
	conns, err := load.Dial(ctx)
	require.NoError(t, err)
	defer closeAll(conns)
	require.Len(t, conns, 3)
	require.Eventually(t, func() bool { return accepted.Load() == 3 }, 5*time.Second, 10*time.Millisecond)
	res, err := load.Offer(ctx, conns)
	require.NoError(t, err)
	assert.Positive(t, res.Echoes)
	assert.Equal(t, int64(3), accepted.Load(), "Offer dialled")
}

func TestHistogram(t *testing.T) {
	prev := time.Duration(-1)
	for i := range len(histogram{}.counts) {
		lb := lowerBound(i)
		require.Greater(t, lb, prev, "bucket %d", i)
		require.Equal(t, i, bucketOf(lb), "bucket %d's lower bound %v", i, lb)
		prev = lb
	}
	for _, d := range []time.Duration{0, 1, 63, 64, 100, 12345, time.Millisecond, 3 * time.Second} {
		lb := lowerBound(bucketOf(d))
		assert.LessOrEqual(t, lb, d)
		assert.GreaterOrEqual(t, float64(lb), float64(d)*(1-1.0/32), "%v lands in a bucket starting at %v", d, lb)
	}
	var h histogram
	assert.Zero(t, h.quantile(0.5))
	for i := 1; i <= 1000; i++ {
		h.add(time.Duration(i) * time.Microsecond)
	}
	assert.InEpsilon(t, 500*time.Microsecond, h.quantile(0.5), 0.04)
	assert.InEpsilon(t, 990*time.Microsecond, h.quantile(0.99), 0.04)
}

func TestReadUsage(t *testing.T) {
	u, err := readUsage(os.Getpid())
	require.NoError(t, err)
	assert.Positive(t, u.RSS)
	assert.Positive(t, u.FDs)
	assert.Positive(t, u.Threads)
	_, err = readUsage(-1)
	assert.Error(t, err)

	status := []byte("Name:\tx\nVmRSS:\t  1234 kB\nThreads:\t7\n")
	assert.EqualValues(t, 1234, statusField(status, "VmRSS:"))
	assert.EqualValues(t, 7, statusField(status, "Threads:"))
	assert.Zero(t, statusField(status, "Missing:"))
}

func TestMedian(t *testing.T) {
	assert.True(t, math.IsNaN(median(nil)))
	assert.Equal(t, 2.0, median([]float64{3, 1, 2}))
	assert.Equal(t, 2.5, median([]float64{4, 1, 3, 2}))
}

func TestMedianCI(t *testing.T) {
	_, _, ok := medianCI([]float64{5, 4, 3, 2, 1})
	assert.False(t, ok, "five values: P(all on one side) = 1/32 > 2.5 %")
	lo, hi, ok := medianCI([]float64{6, 5, 4, 3, 2, 1})
	require.True(t, ok)
	assert.Equal(t, [2]float64{1, 6}, [2]float64{lo, hi}, "six values: the extremes, 1/64 each side")
	xs := []float64{11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1}
	lo, hi, ok = medianCI(xs)
	require.True(t, ok)
	assert.Equal(t, [2]float64{2, 10}, [2]float64{lo, hi}, "eleven values: P(B <= 1) = 12/2048, P(B <= 2) = 67/2048 > 2.5 %")
	assert.Equal(t, 11.0, xs[0], "the input is not reordered")
}

func TestPacedGnetNote(t *testing.T) {
	var runs []EchoRun
	for round := 1; round <= 6; round++ {
		mode := "paced"
		if round > 2 {
			mode = "paced-gnet"
		}
		g := float64(1000 + 10*round)
		runs = append(runs,
			EchoRun{Server: "gnet", Round: round, Mode: mode, OnCPUNs: g, UserNs: 100, SystemNs: g - 100, Syscalls: 2, Switches: 0.5},
			EchoRun{Server: "epoll", Round: round, Mode: mode, OnCPUNs: 1000, UserNs: 100, SystemNs: 900, Syscalls: 2, Switches: 0.25},
			EchoRun{Server: "goroutine", Round: round, Mode: mode, OnCPUNs: 500, UserNs: 100, SystemNs: 400, Syscalls: 3, Switches: 0.25})
	}
	note := pacedGnetNote(runs)
	assert.Contains(t, note, "gnet over epoll: 1.04× (95 % interval 1.01–1.06, 6 rounds)")
	assert.Contains(t, note, "gnet over goroutine: 2.07×")
	assert.Contains(t, note, "gnet 0.1 user + 0.935 system µs, 2.00 read/write calls, 0.5 switches, 2.00 echoes per switch")
	assert.Contains(t, note, "gnet makes 2.00 read and write calls and 0.5 context switches per echo against epoll's 2.00 and 0.25", "twice the wake-ups is named as the cause")
	assert.Empty(t, pacedGnetNote(runs[1:2]), "no gnet/epoll pair")
	for i := range runs {
		if runs[i].Server == "gnet" {
			runs[i].Switches = 0.26
		}
	}
	note = pacedGnetNote(runs)
	assert.Contains(t, note, "gnet and epoll make the same read and write calls and wake up as often per echo")
	assert.NotContains(t, note, "cannot tell", "1.01-1.06 excludes 1")
	for i := range runs {
		if runs[i].Server == "gnet" {
			runs[i].OnCPUNs = 1000 + float64(runs[i].Round%3-1)*10 // 0.99, 1.00, 1.01
		}
	}
	assert.Contains(t, pacedGnetNote(runs), "The interval includes 1: this run cannot tell their CPU time apart.")
}

func TestFormatValue(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 123456.7: "123457", 42.25: "42.2", 3.14159: "3.14", 0.012345: "0.0123"} {
		assert.Equal(t, want, formatValue(v), "%v", v)
	}
}

func TestDescribeMachine(t *testing.T) {
	m := describeMachine()
	assert.Positive(t, m.CPUs)
	assert.NotEmpty(t, m.Kernel)
	assert.Contains(t, m.String(), m.Go)
	assert.Regexp(t, `^\d+\.\d+ \d+\.\d+ \d+\.\d+$`, m.Load, "the three load averages")
}

func TestNoteLoad(t *testing.T) {
	m := Machine{CPUs: 2}
	m.noteLoad("0.50 0.40 0.30", "2.90 1.00 0.50")
	assert.False(t, m.Noisy, "2.9 on 2 CPUs is under 1.5 per CPU")
	assert.Contains(t, m.String(), "load 0.50 0.40 0.30 before and 2.90 1.00 0.50 after")
	assert.NotContains(t, m.String(), "noisy")
	m.noteLoad("3.10 1.00 0.50", "0.20 0.10 0.10")
	assert.True(t, m.Noisy, "3.1 before, on 2 CPUs")
	m.noteLoad("0.20 0.10 0.10", "3.10 1.00 0.50")
	assert.True(t, m.Noisy, "3.1 after, on 2 CPUs")
	assert.Contains(t, m.String(), "noisy")
	var b strings.Builder
	require.NoError(t, (&Report{Machine: m}).writeMarkdown(&b))
	assert.Contains(t, b.String(), "**Noisy run:**")
}

func TestRotated(t *testing.T) {
	kinds := []string{"a", "b", "c"}
	assert.Equal(t, []string{"b", "c", "a"}, rotated(kinds, 1))
	assert.Equal(t, []string{"b", "c", "a"}, rotated(kinds, 4), "wraps round")
	assert.Equal(t, []string{"a", "b", "c"}, kinds, "the input keeps its order")
}
