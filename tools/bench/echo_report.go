package main

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// median returns the middle of xs (the mean of the two middles for an
// even count), or NaN when xs is empty.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// echoFigures are one server's medians over the rounds of one mode.
type echoFigures struct {
	perSec, p50, p99, user, sys, onCPU, switches, syscalls float64
	threads                                                int
	ok                                                     bool
	errs                                                   []string
}

func figuresOf(runs []EchoRun, kind, mode string) echoFigures {
	var f echoFigures
	var per, p50, p99, user, sys, on, sw, sc []float64
	for _, r := range runs {
		if r.Server != kind || r.Mode != mode {
			continue
		}
		if r.Err != "" {
			f.errs = append(f.errs, fmt.Sprintf("round %d: %s", r.Round, r.Err))
			continue
		}
		per = append(per, r.Load.PerSecond())
		p50 = append(p50, float64(r.Load.P50))
		p99 = append(p99, float64(r.Load.P99))
		user = append(user, r.UserNs)
		sys = append(sys, r.SystemNs)
		on = append(on, r.OnCPUNs)
		sw = append(sw, r.Switches)
		sc = append(sc, r.Syscalls)
		f.threads = max(f.threads, r.Threads)
	}
	f.ok = len(per) > 0
	f.perSec, f.p50, f.p99 = median(per), median(p50), median(p99)
	f.user, f.sys, f.onCPU = median(user), median(sys), median(on)
	f.switches, f.syscalls = median(sw), median(sc)
	return f
}

// ratioOf returns the median over rounds of num's figure over den's, each
// pair taken from the same round, so that the machine's slow and fast
// spells cancel out.
func ratioOf(runs []EchoRun, num, den, mode string, figure func(EchoRun) float64) float64 {
	return median(ratiosOf(runs, num, den, mode, figure))
}

// ratiosOf returns num's figure over den's for every round of mode in
// which both ran.
func ratiosOf(runs []EchoRun, num, den, mode string, figure func(EchoRun) float64) []float64 {
	var ratios []float64
	for _, a := range runs {
		if a.Server != num || a.Mode != mode || a.Err != "" {
			continue
		}
		for _, b := range runs {
			if b.Server == den && b.Mode == mode && b.Round == a.Round && b.Err == "" && figure(b) > 0 {
				ratios = append(ratios, figure(a)/figure(b))
			}
		}
	}
	return ratios
}

// medianCI returns a distribution-free confidence interval of at least 95 %
// for the median of the population xs was drawn from: the k-th smallest
// and k-th largest of xs, for the largest k at which the chance that fewer
// than k draws fall below the median (a binomial with p = 1/2) is at most
// 2.5 %. With fewer than six values no such k exists and ok is false.
func medianCI(xs []float64) (lo, hi float64, ok bool) {
	n := len(xs)
	s := slices.Clone(xs)
	slices.Sort(s)
	k := 0
	// tail is P(B <= j) for B ~ Binomial(n, 1/2), built term by term.
	term := math.Pow(0.5, float64(n))
	tail := 0.0
	for j := 0; j < n; j++ {
		tail += term
		if tail > 0.025 {
			break
		}
		k = j + 1
		term *= float64(n-j) / float64(j+1)
	}
	if k == 0 {
		return 0, 0, false
	}
	return s[k-1], s[n-k], true
}

// ratioWithCI formats the median of ratios with its 95 % interval, when
// there are enough of them for one.
func ratioWithCI(ratios []float64) string {
	s := formatValue(median(ratios)) + "×"
	if lo, hi, ok := medianCI(ratios); ok {
		s += fmt.Sprintf(" (95 %% interval %s–%s, %d rounds)", formatValue(lo), formatValue(hi), len(ratios))
	} else {
		s += fmt.Sprintf(" (%d rounds, too few for an interval)", len(ratios))
	}
	return s
}

func userNs(r EchoRun) float64  { return r.UserNs }
func totalNs(r EchoRun) float64 { return r.OnCPUNs }

// per100k turns nanoseconds per echo into CPU seconds per 100,000 echoes.
func per100k(ns float64) string { return formatValue(ns * 1e5 / 1e9) }

func micros(ns float64) string { return formatValue(ns / 1e3) }

func kib(bytes float64) string {
	if math.IsNaN(bytes) {
		return "n/a"
	}
	return strconv.FormatFloat(bytes/1024, 'f', 2, 64)
}

// summarize fills r with the echo tables, charts and the targets.
func (b *echoBench) summarize(r *Report, runs []EchoRun, idle []IdleRun) {
	o := b.o
	r.Raw = map[string]any{"runs": runs, "idle": idle}
	for _, mode := range []string{"closed", "paced"} {
		if !o.load {
			break
		}
		t := Table{
			Title:   fmt.Sprintf("%s loop: %d connections, %d-byte messages, %v per run, median of %d rounds", strings.ToUpper(mode[:1])+mode[1:], o.conns, o.size, o.duration, o.rounds),
			Columns: []string{"server", "echoes/s", "p50 µs", "p99 µs", "user s/100k", "system s/100k", "on-CPU s/100k", "r/w syscalls/echo", "switches/echo", "threads"},
		}
		if mode == "paced" {
			t.Title = fmt.Sprintf("Paced at %s echoes/s: %d connections, %d-byte messages, %v per run, median of %d rounds", formatValue(o.rate), o.conns, o.size, o.duration, o.rounds)
		}
		perSec := Chart{File: "echo-" + mode + "-rate.svg", Title: fmt.Sprintf("Echoes per second, %s loop (higher is better)", mode), Unit: "/s"}
		cpu := Chart{File: "echo-" + mode + "-cpu.svg", Title: fmt.Sprintf("Server CPU s per 100,000 echoes, %s (lower is better)", mode), Unit: "s"}
		for _, kind := range o.kinds {
			f := figuresOf(runs, kind, mode)
			if !f.ok {
				t.Rows = append(t.Rows, []string{kind, "failed: " + strings.Join(f.errs, "; "), "", "", "", "", "", "", "", "", ""})
				perSec.Bars = append(perSec.Bars, Bar{Label: kind, Series: kind, Missing: true})
				cpu.Bars = append(cpu.Bars, Bar{Label: kind, Series: kind, Missing: true})
				continue
			}
			t.Rows = append(t.Rows, []string{kind, formatValue(f.perSec), micros(f.p50), micros(f.p99),
				per100k(f.user), per100k(f.sys), per100k(f.onCPU), formatValue(f.syscalls), formatValue(f.switches), strconv.Itoa(f.threads)})
			perSec.Bars = append(perSec.Bars, Bar{Label: kind, Series: kind, Value: f.perSec})
			cpu.Bars = append(cpu.Bars, Bar{Label: kind, Series: kind, Value: f.onCPU * 1e5 / 1e9})
		}
		r.Tables = append(r.Tables, t)
		if mode == "closed" {
			r.Charts = append(r.Charts, perSec)
		}
		r.Charts = append(r.Charts, cpu)
	}

	if len(o.levels) > 0 {
		t, c := b.idleTable(idle)
		r.Tables = append(r.Tables, t)
		r.Charts = append(r.Charts, c)
	}
	r.Notes = append(r.Notes, b.targets(runs, idle)...)
}

// targets states each of the targets with the measured figure.
func (b *echoBench) targets(runs []EchoRun, idle []IdleRun) []string {
	o := b.o
	top := "0"
	if len(o.levels) > 0 {
		top = strconv.Itoa(o.levels[len(o.levels)-1])
	}
	verdict := func(ok bool) string {
		if ok {
			return "**met**"
		}
		return "**missed**"
	}
	find := func(kind string) (IdleRun, bool) {
		for _, ir := range idle {
			if ir.Server == kind {
				return ir, true
			}
		}
		return IdleRun{}, false
	}
	var notes []string
	notes = append(notes, "Each server runs in its own process pinned with `taskset` to one CPU; the Go load generator is pinned to the other. "+
		"CPU figures are the server's user and system time from `/proc/PID/stat` around the measured run (10 ms ticks), divided by the echoes. "+
		"Latency is from when an echo was due to when its last byte was back. "+
		"The machine was shared with other work while this ran, so single figures are noisy; ratios are taken between servers measured in the same round, then the median over rounds.")

	ep, okE := find("epoll")
	gn, okG := find("gnet")
	if okE && ep.Err == "" {
		perConn := ep.PerConn[top]
		msg := fmt.Sprintf("Target: epoll server ≤ 0.25 KiB RSS per idle connection at %s connections: measured %s KiB — %s.", top, kib(perConn), verdict(perConn <= 256))
		if okG && gn.Err == "" {
			g := gn.PerConn[top]
			msg += fmt.Sprintf(" Against gnet (%s KiB) the ratio is %s, target ≤ 0.5 — %s.", kib(g), formatValue(perConn/g), verdict(perConn <= g/2))
		}
		var vals []string
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, n := range o.levels {
			v := ep.PerConn[strconv.Itoa(n)]
			vals = append(vals, fmt.Sprintf("%s KiB at %d", kib(v), n))
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		msg += fmt.Sprintf(" Across counts: %s (flat means within 0.05 KiB: %s).", strings.Join(vals, ", "), verdict(hi-lo <= 0.05*1024))
		notes = append(notes, msg)
	}
	const cpuTarget = "Target: epoll user CPU per echo ≤ 0.5× the goroutine server's (closed loop): "
	if r := ratioOf(runs, "epoll", "goroutine", "closed", userNs); !math.IsNaN(r) {
		notes = append(notes, fmt.Sprintf(cpuTarget+"measured %s× — %s. Total CPU per echo: %s×; paced user CPU: %s×.",
			formatValue(r), verdict(r <= 0.5), formatValue(ratioOf(runs, "epoll", "goroutine", "closed", totalNs)), formatValue(ratioOf(runs, "epoll", "goroutine", "paced", userNs))))
	} else if _, ok := find("goroutine"); ok && okE {
		// Short runs can end before the goroutine server's user time
		// reaches one 10 ms tick; a ratio over zero would be no figure.
		notes = append(notes, cpuTarget+"not measured — the goroutine server's user CPU stayed below the 10 ms tick of /proc/PID/stat in every round; run longer (without -short).")
	}
	var held []string
	all := true
	for _, ir := range idle {
		if ir.Server == "select" {
			continue
		}
		ok := ir.Err == "" && ir.Failed == 0 && strconv.Itoa(ir.Held) == top
		all = all && ok
		held = append(held, fmt.Sprintf("%s %d/%s%s", ir.Server, ir.Held, top, map[bool]string{true: "", false: " (failed)"}[ok]))
	}
	if len(idle) > 0 {
		notes = append(notes, fmt.Sprintf("Target: %s concurrent connections held and still echoing with no error: %s — %s.", top, strings.Join(held, ", "), verdict(all)))
	}
	if note := pacedGnetNote(runs); note != "" {
		notes = append(notes, note)
	}
	return notes
}

// pacedGnetNote compares gnet's on-CPU time per echo under the paced load
// with epoll's and the goroutine server's, over the paced rounds of all
// servers and the extra rounds of those three, and puts the counters that
// explain a difference beside it: system calls, context switches (each a
// wake-up from an idle wait) and echoes per switch (how much one wake-up
// serves). Empty when gnet or epoll did not run paced.
func pacedGnetNote(runs []EchoRun) string {
	ratios := func(num, den string, figure func(EchoRun) float64) []float64 {
		return append(ratiosOf(runs, num, den, "paced", figure), ratiosOf(runs, num, den, "paced-gnet", figure)...)
	}
	ge := ratios("gnet", "epoll", totalNs)
	if len(ge) == 0 {
		return ""
	}
	all := slices.DeleteFunc(slices.Clone(runs), func(r EchoRun) bool { return r.Mode == "paced-gnet" })
	for _, r := range runs {
		if r.Mode == "paced-gnet" {
			r.Mode = "paced"
			all = append(all, r)
		}
	}
	var counters []string
	figs := map[string]echoFigures{}
	for _, kind := range []string{"gnet", "epoll", "goroutine"} {
		f := figuresOf(all, kind, "paced")
		if !f.ok {
			continue
		}
		figs[kind] = f
		perSwitch := "n/a"
		if f.switches > 0 {
			perSwitch = formatValue(1 / f.switches)
		}
		counters = append(counters, fmt.Sprintf("%s %s user + %s system µs, %s read/write calls, %s switches, %s echoes per switch",
			kind, micros(f.user), micros(f.sys), formatValue(f.syscalls), formatValue(f.switches), perSwitch))
	}
	note := fmt.Sprintf("Paced on-CPU time per echo, gnet over epoll: %s; gnet over goroutine: %s. Per echo, medians over those rounds: %s.",
		ratioWithCI(ge), ratioWithCI(ratios("gnet", "goroutine", totalNs)), strings.Join(counters, "; "))
	return note + " " + gnetVerdict(figs["gnet"], figs["epoll"], ge)
}

// gnetVerdict says what the counters make of gnet against epoll under the
// paced load: a load this light gives each wake-up about one echo, so
// batching cannot differ much, and when the calls and switches per echo
// match, what is left is the time each takes. ratios are gnet's on-CPU
// time over epoll's, round by round.
func gnetVerdict(g, e echoFigures, ratios []float64) string {
	if !g.ok || !e.ok || e.switches == 0 || e.syscalls == 0 {
		return ""
	}
	sameCalls := math.Abs(g.syscalls/e.syscalls-1) <= 0.05
	sameWakeups := math.Abs(g.switches/e.switches-1) <= 0.1
	if sameCalls && sameWakeups {
		v := fmt.Sprintf("gnet and epoll make the same read and write calls and wake up as often per echo (within 5 %% and 10 %%), so neither batches more: "+
			"what differs is the time those calls and wake-ups take and each server's own work (user time %s against %s µs per echo).", micros(g.user), micros(e.user))
		if lo, hi, ok := medianCI(ratios); ok && lo <= 1 && 1 <= hi {
			v += " The interval includes 1: this run cannot tell their CPU time apart."
		}
		return v
	}
	return fmt.Sprintf("gnet makes %s read and write calls and %s context switches per echo against epoll's %s and %s: that difference in calls and wake-ups is where its CPU time goes.",
		formatValue(g.syscalls), formatValue(g.switches), formatValue(e.syscalls), formatValue(e.switches))
}

// idleTable is the memory per idle connection at each count.
func (b *echoBench) idleTable(idle []IdleRun) (Table, Chart) {
	o := b.o
	it := Table{Title: fmt.Sprintf("Server RSS per idle connection (KiB), clients over %d source addresses", o.sources), Columns: []string{"server"}}
	for _, n := range o.levels {
		it.Columns = append(it.Columns, fmt.Sprintf("never used, %d", n))
	}
	top := o.levels[len(o.levels)-1]
	it.Columns = append(it.Columns, fmt.Sprintf("after one %d KiB echo", o.usedSize>>10), "held", "failed echoes", "note")
	idleChart := Chart{File: "echo-idle-rss.svg", Title: fmt.Sprintf("Server RSS per never-used connection at %d (lower is better)", top), Unit: "KiB"}
	for _, ir := range idle {
		row := []string{ir.Server}
		for _, n := range o.levels {
			v, ok := ir.PerConn[strconv.Itoa(n)]
			if !ok {
				v = math.NaN()
			}
			row = append(row, kib(v))
		}
		note := ir.Err
		if n := min(o.levels[0], o.selectCap); ir.Server == "select" && note == "" {
			note = fmt.Sprintf("select cannot watch descriptors ≥ FD_SETSIZE: %s KiB never used at %d connections", kib(ir.PerConn[strconv.Itoa(n)]), n)
		}
		used := math.NaN()
		if ir.Err == "" {
			used = ir.Used
		}
		row = append(row, kib(used), strconv.Itoa(ir.Held), strconv.FormatInt(ir.Failed, 10), note)
		it.Rows = append(it.Rows, row)
		v, ok := ir.PerConn[strconv.Itoa(top)]
		idleChart.Bars = append(idleChart.Bars, Bar{Label: ir.Server, Series: ir.Server, Value: v / 1024, Missing: !ok})
	}
	return it, idleChart

}
