package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sockbook/sockbook/pkg/tlsecho"
)

// echoOptions are the echo subcommand's flags.
type echoOptions struct {
	rounds     int
	gnetRounds int // extra paced rounds of goroutine, epoll and gnet alone
	conns      int
	size       int
	rate       float64
	duration   time.Duration
	levels     []int
	kinds      []string
	gnet       string // gnet anchor binary; empty builds it from anchors
	anchors    string // the anchors module's folder
	serverCPU  int
	clientCPU  int
	usedSize   int
	sources    int // 127.0.0.x source addresses the idle connections spread over
	selectCap  int // the most connections select can hold below FD_SETSIZE
	short      bool
	load       bool // run the throughput and latency rounds
}

// EchoRun is one server's figures from one round of load.
type EchoRun struct {
	Server   string     `json:"server"`
	Round    int        `json:"round"`
	Mode     string     `json:"mode"` // closed, paced, or paced-gnet (the extra paced rounds)
	Load     LoadResult `json:"load"`
	UserNs   float64    `json:"user_ns_per_echo"`
	SystemNs float64    `json:"system_ns_per_echo"`
	OnCPUNs  float64    `json:"on_cpu_ns_per_echo"`
	Switches float64    `json:"context_switches_per_echo"`
	Syscalls float64    `json:"read_write_syscalls_per_echo"`
	Threads  int        `json:"threads"`
	Err      string     `json:"error,omitempty"`
}

// IdleRun is one server's memory with many idle connections.
type IdleRun struct {
	Server  string             `json:"server"`
	BaseRSS int64              `json:"base_rss"`
	PerConn map[string]float64 `json:"never_used_bytes_per_conn"` // by connection count
	Used    float64            `json:"used_bytes_per_conn"`       // after one echo of UsedSize each, at the highest count
	Held    int                `json:"held"`                      // connections open at the end
	Failed  int64              `json:"failed"`                    // connections that could not echo at the end
	Err     string             `json:"error,omitempty"`
}

// runEcho is the echo subcommand.
func runEcho(ctx context.Context, args []string, common *commonFlags) (*Report, error) {
	o := echoOptions{}
	fs := flag.NewFlagSet("echo", flag.ContinueOnError)
	common.register(fs)
	fs.IntVar(&o.rounds, "rounds", 3, "rounds over all servers; figures are medians over rounds")
	fs.IntVar(&o.gnetRounds, "gnet-rounds", 8, "extra paced rounds of goroutine, epoll and gnet only, for the gnet comparison's median and confidence interval")
	fs.IntVar(&o.conns, "conns", 50, "connections of the throughput and latency runs")
	fs.IntVar(&o.size, "size", 64, "bytes per echo in the throughput and latency runs")
	fs.Float64Var(&o.rate, "rate", 10000, "echoes per second offered in the paced runs")
	fs.DurationVar(&o.duration, "duration", 5*time.Second, "length of each closed-loop and paced run")
	levels := fs.String("idle", "1000,10000,19000", "idle connection counts for the memory runs, comma-separated; empty skips them")
	fs.BoolVar(&o.load, "load", true, "run the throughput and latency rounds")
	kinds := fs.String("servers", strings.Join(append(serverKinds(), "gnet"), ","), "servers to measure")
	fs.StringVar(&o.gnet, "gnet", "", "gnet anchor binary (default: build it from -anchors)")
	fs.StringVar(&o.anchors, "anchors", "tools/bench/anchors", "folder of the anchors module")
	fs.IntVar(&o.serverCPU, "server-cpu", 0, "CPU the servers are pinned to")
	fs.IntVar(&o.clientCPU, "client-cpu", 1, "CPU the load generator is pinned to")
	fs.IntVar(&o.usedSize, "used-size", 32<<10, "bytes each idle connection echoes once before the used-memory reading")
	fs.IntVar(&o.sources, "sources", 64, "127.0.0.x source addresses the idle connections spread over")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	o.short = common.short
	if o.short {
		shortDefault(fs, "rounds", "1")
		shortDefault(fs, "gnet-rounds", "0")
		shortDefault(fs, "conns", "16")
		shortDefault(fs, "duration", "1s")
		shortDefault(fs, "idle", "200")
		shortDefault(fs, "rate", "5000")
	}
	o.selectCap = 900
	for f := range strings.SplitSeq(*levels, ",") {
		if *levels == "" {
			break
		}
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("echo: -idle %q: %q is not a positive count", *levels, f)
		}
		o.levels = append(o.levels, n)
	}
	slices.Sort(o.levels)
	o.kinds = strings.Split(*kinds, ",")
	for _, k := range o.kinds {
		if k != "gnet" && !slices.Contains(serverKinds(), k) {
			return nil, fmt.Errorf("echo: -servers: unknown server %q (want gnet or one of %v)", k, serverKinds())
		}
	}
	if o.gnetRounds < 0 {
		return nil, fmt.Errorf("echo: -gnet-rounds %d: must not be negative", o.gnetRounds)
	}
	if o.rounds < 1 || o.conns < 1 || o.size < 1 || o.duration <= 0 || o.sources < 1 || o.sources > 254 {
		return nil, fmt.Errorf("echo: -rounds %d -conns %d -size %d -duration %v -sources %d: counts must be positive, sources at most 254",
			o.rounds, o.conns, o.size, o.duration, o.sources)
	}

	if err := pinSelf(o.clientCPU); err != nil {
		return nil, err
	}
	runtime.GOMAXPROCS(1)

	r := &Report{Name: "echo", Title: "Echo servers side by side", Started: time.Now(), Machine: describeMachine()}
	tmp, err := os.MkdirTemp("", "bench-echo")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	b, err := newEchoBench(ctx, o, tmp)
	if err != nil {
		return nil, err
	}

	var runs []EchoRun
	for round := 1; o.load && round <= o.rounds; round++ {
		// Rotate the order each round so that a slow spell of the shared
		// machine does not always hit the same server.
		for _, kind := range rotated(o.kinds, round-1) {
			for _, mode := range []string{"closed", "paced"} {
				run := b.loadRun(ctx, kind, mode, round)
				fmt.Fprintf(os.Stderr, "echo: round %d %-13s %-6s %8.0f echoes/s p50 %v p99 %v user %.0f ns sys %.0f ns on-cpu %.0f ns %.2f syscalls %s\n",
					round, kind, mode, run.Load.PerSecond(), run.Load.P50, run.Load.P99, run.UserNs, run.SystemNs, run.OnCPUNs, run.Syscalls, run.Err)
				runs = append(runs, run)
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
			}
		}
	}
	// The paced gnet comparison wants more rounds than the whole set
	// can afford: these pit the three servers it names against each
	// other alone, in rotating order.
	var trio []string
	for _, k := range []string{"goroutine", "epoll", "gnet"} {
		if slices.Contains(o.kinds, k) {
			trio = append(trio, k)
		}
	}
	for i := range o.gnetRounds {
		if !o.load || len(trio) < 2 {
			break
		}
		round := o.rounds + 1 + i
		for _, kind := range rotated(trio, i) {
			run := b.loadRun(ctx, kind, "paced", round)
			run.Mode = "paced-gnet"
			fmt.Fprintf(os.Stderr, "echo: round %d %-13s %-10s user %.0f ns sys %.0f ns on-cpu %.0f ns %.2f syscalls %.3f switches %s\n",
				round, kind, run.Mode, run.UserNs, run.SystemNs, run.OnCPUNs, run.Syscalls, run.Switches, run.Err)
			runs = append(runs, run)
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
		}
	}
	var idle []IdleRun
	for _, kind := range o.kinds {
		if len(o.levels) == 0 {
			break
		}
		ir := b.idleRun(ctx, kind)
		fmt.Fprintf(os.Stderr, "echo: idle %-13s %v used %.0f B held %d failed %d %s\n", kind, ir.PerConn, ir.Used, ir.Held, ir.Failed, ir.Err)
		idle = append(idle, ir)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	b.summarize(r, runs, idle)
	return r, nil
}

// rotated returns a copy of kinds started k places in, wrapping round.
func rotated(kinds []string, k int) []string {
	k %= len(kinds)
	return append(slices.Clone(kinds[k:]), kinds[:k]...)
}

// shortDefault gives the flag name the value short mode uses, unless the
// command line set it.
func shortDefault(fs *flag.FlagSet, name, value string) {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	if !set {
		if err := fs.Set(name, value); err != nil {
			panic(err) // a typo in the defaults above, not the user's input
		}
	}
}

// echoBench holds what every run of the echo subcommand shares.
type echoBench struct {
	o         echoOptions
	self      string // this binary, which serves with its serve subcommand
	gnet      string // the gnet anchor's binary, or empty
	gnetErr   error  // why gnet is not measured
	cert, key string
	client    *tls.Config
}

func newEchoBench(ctx context.Context, o echoOptions, tmp string) (*echoBench, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	b := &echoBench{o: o, self: self}
	cert, err := tlsecho.NewSelfSigned(tlsecho.ECDSAP256, "127.0.0.1")
	if err != nil {
		return nil, err
	}
	if b.cert, b.key, err = tlsecho.WritePEM(tmp, cert); err != nil {
		return nil, err
	}
	roots := x509.NewCertPool()
	roots.AddCert(cert.Leaf)
	b.client = &tls.Config{RootCAs: roots, ServerName: "127.0.0.1"}

	if slices.Contains(o.kinds, "gnet") {
		b.gnet = o.gnet
		if b.gnet == "" {
			b.gnet = filepath.Join(tmp, "gnetecho")
			build := exec.CommandContext(ctx, "go", "build", "-o", b.gnet, "./gnetecho")
			build.Dir = o.anchors
			if out, err := build.CombinedOutput(); err != nil {
				b.gnet, b.gnetErr = "", fmt.Errorf("build the gnet anchor in %s: %w: %s", o.anchors, err, strings.TrimSpace(string(out)))
				fmt.Fprintln(os.Stderr, "echo:", b.gnetErr)
			}
		}
	}
	return b, nil
}

// start runs the server kind in its own pinned process.
func (b *echoBench) start(ctx context.Context, kind string) (*serverProc, error) {
	if kind == "gnet" {
		if b.gnet == "" {
			return nil, b.gnetErr
		}
		return startServer(ctx, b.o.serverCPU, b.gnet, "-addr", "127.0.0.1:0", "-loops", "1")
	}
	return startServer(ctx, b.o.serverCPU, b.self, "serve", "-kind", kind, "-addr", "127.0.0.1:0", "-cert", b.cert, "-key", b.key)
}

func (b *echoBench) tlsFor(kind string) *tls.Config {
	if isTLS(kind) {
		return b.client
	}
	return nil
}

// loadRun measures one server under one kind of load: a fresh process,
// a warm-up, then the measured run with the server's CPU time read from
// /proc around it.
func (b *echoBench) loadRun(ctx context.Context, kind, mode string, round int) EchoRun {
	run := EchoRun{Server: kind, Round: round, Mode: mode}
	p, err := b.start(ctx, kind)
	if err != nil {
		run.Err = err.Error()
		return run
	}
	defer p.stop()
	load := Load{Addr: p.addr, Conns: b.o.conns, Size: b.o.size, TLS: b.tlsFor(kind), Duration: b.o.duration / 5}
	if mode == "paced" {
		load.Rate = b.o.rate
	}
	// The warm-up grows the server's buffers, stacks and heap to their
	// working size, so that the measured run sees steady state.
	if _, err := load.Run(ctx); err != nil {
		run.Err = err.Error()
		return run
	}
	// The connections are dialled (and, for TLS, handshaken) before the
	// "before" reading and closed after the "after" one, so the CPU
	// counted is the echoes' alone.
	load.Duration = b.o.duration
	conns, err := load.Dial(ctx)
	if err != nil {
		run.Err = err.Error()
		return run
	}
	defer closeAll(conns)
	before, err := p.usage()
	if err != nil {
		run.Err = err.Error()
		return run
	}
	run.Load, err = load.Offer(ctx, conns)
	after, uerr := p.usage()
	if err = errors.Join(err, uerr); err != nil {
		run.Err = err.Error()
		return run
	}
	if run.Load.Err != "" {
		run.Err = run.Load.Err
	}
	if n := float64(run.Load.Echoes); n > 0 {
		run.UserNs = float64(after.User-before.User) / n
		run.SystemNs = float64(after.System-before.System) / n
		run.Switches = float64(after.Switches-before.Switches) / n
		run.OnCPUNs = float64(after.OnCPU-before.OnCPU) / n
		run.Syscalls = float64(after.Reads+after.Writes-before.Reads-before.Writes) / n
	}
	run.Threads = after.Threads
	return run
}

// idleRun opens the idle connection counts in turn, reading the server's
// memory at each, then has every connection echo once and reads it again,
// and checks that every connection still echoes.
func (b *echoBench) idleRun(ctx context.Context, kind string) IdleRun {
	ir := IdleRun{Server: kind, PerConn: map[string]float64{}}
	levels := b.o.levels
	if kind == "select" {
		// An fd_set has FD_SETSIZE bits; select refuses the rest.
		levels = []int{min(levels[0], b.o.selectCap)}
	}
	p, err := b.start(ctx, kind)
	if err != nil {
		ir.Err = err.Error()
		return ir
	}
	defer p.stop()
	time.Sleep(200 * time.Millisecond)
	base, err := p.usage()
	if err != nil {
		ir.Err = err.Error()
		return ir
	}
	ir.BaseRSS = base.RSS

	var conns []net.Conn
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for _, n := range levels {
		more, err := b.dialMany(ctx, p.addr, len(conns), n-len(conns), b.tlsFor(kind))
		conns = append(conns, more...)
		if err != nil {
			ir.Err = fmt.Sprintf("at %d connections: %v", len(conns), err)
			break
		}
		u, err := settle(p, base.FDs+n)
		if err != nil {
			ir.Err = err.Error()
			break
		}
		ir.PerConn[strconv.Itoa(n)] = float64(u.RSS-base.RSS) / float64(n)
	}
	ir.Held = len(conns)
	if ir.Err != "" {
		return ir
	}
	failed := eachConn(conns, func(c net.Conn) error {
		msg := make([]byte, b.o.usedSize)
		return echoOnce(c, msg, make([]byte, len(msg)))
	})
	u, err := settle(p, base.FDs+len(conns))
	if err != nil {
		ir.Err = err.Error()
		return ir
	}
	ir.Used = float64(u.RSS-base.RSS) / float64(len(conns))
	failed += eachConn(conns, func(c net.Conn) error {
		return echoOnce(c, []byte("still there?"), make([]byte, 16))
	})
	ir.Failed = failed
	return ir
}

// settle waits until the server holds fds descriptors and its memory has
// stopped changing, then returns its usage.
func settle(p *serverProc, fds int) (usage, error) {
	deadline := time.Now().Add(30 * time.Second)
	var last usage
	for time.Now().Before(deadline) {
		u, err := p.usage()
		if err != nil {
			return u, err
		}
		if u.FDs >= fds && u.RSS == last.RSS {
			return u, nil
		}
		last = u
		time.Sleep(250 * time.Millisecond)
	}
	return last, fmt.Errorf("server holds %d descriptors after 30s, want %d", last.FDs, fds)
}

// dialMany opens n connections to addr, numbered from first, spread over
// the 127.0.0.x source addresses so that no one address runs out of ports.
func (b *echoBench) dialMany(ctx context.Context, addr string, first, n int, cfg *tls.Config) ([]net.Conn, error) {
	conns := make([]net.Conn, n)
	var failed atomic.Pointer[error]
	var next atomic.Int64
	var wg sync.WaitGroup
	for range 32 {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n || failed.Load() != nil {
					return
				}
				src := net.IPv4(127, 0, 0, byte(1+(first+i)%b.o.sources))
				c, err := dialEcho(ctx, addr, src, cfg)
				if err != nil {
					failed.CompareAndSwap(nil, &err)
					return
				}
				conns[i] = c
			}
		})
	}
	wg.Wait()
	conns = slices.DeleteFunc(conns, func(c net.Conn) bool { return c == nil })
	if err := failed.Load(); err != nil {
		return conns, *err
	}
	return conns, nil
}

// eachConn runs f on every connection, a few at a time, and returns how
// many failed.
func eachConn(conns []net.Conn, f func(net.Conn) error) int64 {
	var failed, next atomic.Int64
	var wg sync.WaitGroup
	for range 32 {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(conns) {
					return
				}
				conns[i].SetDeadline(time.Now().Add(20 * time.Second))
				if f(conns[i]) != nil {
					failed.Add(1)
				}
				conns[i].SetDeadline(time.Time{})
			}
		})
	}
	wg.Wait()
	return failed.Load()
}
