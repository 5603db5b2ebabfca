package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sockbook/sockbook/tools/jupyter"
	"github.com/sockbook/sockbook/tools/kernel/kernelbin"
	"github.com/sockbook/sockbook/tools/nbformat"
	"github.com/sockbook/sockbook/tools/nbrun"
)

// kernelBenchmarks are the Go benchmarks of tools/kernel (bench_test.go)
// that the kernel subcommand runs, in one go test run.
const kernelBenchmarks = "^(BenchmarkKernelStart|BenchmarkTrivialCell|BenchmarkInspect|BenchmarkComplete|BenchmarkInterrupt|BenchmarkInterruptSignal)$"

// debianPython is the Python that has Debian's python3-nbclient; python3
// on PATH may be another one.
const debianPython = "/usr/bin/python3"

// KernelBench is what one benchmark of tools/kernel measured: a line of
// its -kernel.samples file (tools/kernel's BenchSamples).
type KernelBench struct {
	Name    string          `json:"name"`
	Samples []time.Duration `json:"samples_ns"`
}

// NotebookRun is one run of the same notebook by one runner.
type NotebookRun struct {
	Notebook string `json:"notebook"` // its path from the module root
	Runner   string `json:"runner"`   // "nbrun" or "nbclient"
	Round    int    `json:"round"`
	// Elapsed runs from starting the kernel to its exit: for nbclient,
	// NotebookClient.execute().
	Elapsed time.Duration `json:"elapsed_ns"`
	// Cells runs from the first cell's start to the last cell's end: for
	// nbrun as the client sees them, for nbclient from the kernel's
	// status busy of the first to its status idle of the last (the
	// timestamps nbclient records).
	Cells time.Duration `json:"cells_ns"`
	Ran   int           `json:"cells_run"`
	// Process is nbclient's whole python3 process, imports included.
	Process time.Duration `json:"process_ns,omitempty"`
}

// kernelRawBench is one benchmark's samples in the report's JSON: every
// one where there are few, else their percentiles (the fast benchmarks
// take tens of thousands of samples).
type kernelRawBench struct {
	Name    string          `json:"name"`
	N       int             `json:"samples"`
	Samples []time.Duration `json:"samples_ns,omitempty"` // sorted, when N ≤ maxRawSamples
	// Percentiles are the 0th to the 100th percentile by nearest rank,
	// when N > maxRawSamples.
	Percentiles []time.Duration `json:"percentiles_ns,omitempty"`
}

// maxRawSamples is how many samples of a benchmark the report's JSON
// holds one by one.
const maxRawSamples = 200

// rawBenches pools benches by name and reduces each as kernelRawBench says.
func rawBenches(benches []KernelBench) []kernelRawBench {
	var raw []kernelRawBench
	index := map[string]int{}
	for _, b := range benches {
		i, ok := index[b.Name]
		if !ok {
			i = len(raw)
			index[b.Name] = i
			raw = append(raw, kernelRawBench{Name: b.Name})
		}
		raw[i].Samples = append(raw[i].Samples, b.Samples...)
	}
	for i := range raw {
		r := &raw[i]
		slices.Sort(r.Samples)
		r.N = len(r.Samples)
		if r.N > maxRawSamples {
			for p := 0; p <= 100; p++ {
				r.Percentiles = append(r.Percentiles, quantile(r.Samples, float64(p)/100))
			}
			r.Samples = nil
		}
	}
	return raw
}

// kernelRaw is the kernel report's raw data.
type kernelRaw struct {
	Benchmarks []kernelRawBench `json:"benchmarks"`
	Notebooks  []string         `json:"notebooks,omitempty"`
	Runs       []NotebookRun    `json:"notebook_runs,omitempty"`
}

// kernelTarget is the target for a benchmark's median, or 0.
func kernelTarget(name string) time.Duration {
	switch {
	case name == "BenchmarkKernelStart/kernel_info_reply":
		return 100 * time.Millisecond
	case name == "BenchmarkTrivialCell":
		return time.Millisecond
	case strings.HasPrefix(name, "BenchmarkInspect/"):
		return 20 * time.Millisecond
	case strings.HasPrefix(name, "BenchmarkInterrupt/"), strings.HasPrefix(name, "BenchmarkInterruptSignal/"):
		return 200 * time.Millisecond
	}
	return 0
}

// kernelLabel names a benchmark for people.
func kernelLabel(name string) string {
	top, sub, _ := strings.Cut(name, "/")
	sub = strings.ReplaceAll(sub, "_", " ")
	switch top {
	case "BenchmarkKernelStart":
		if sub == "client ready" {
			return "kernel start → jupyter.Client ready (iopub too)"
		}
		return "kernel start → kernel_info_reply"
	case "BenchmarkTrivialCell":
		return "cell `1+1` → idle"
	case "BenchmarkInspect":
		if sub == "cell variable" {
			return "inspect a cell's variable (`ln`)"
		}
		return "inspect `" + sub + "`"
	case "BenchmarkComplete":
		return "complete `strings.Spl`"
	case "BenchmarkInterrupt":
		return "interrupt_request → idle: " + sub
	case "BenchmarkInterruptSignal":
		return "SIGINT → idle: " + sub
	}
	return name
}

// quantile returns the q quantile of sorted by nearest rank.
func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(i, 0)]
}

func ms(d time.Duration) string { return formatValue(float64(d) / float64(time.Millisecond)) }

func medianDuration(ds []time.Duration) time.Duration {
	fs := make([]float64, len(ds))
	for i, d := range ds {
		fs[i] = float64(d)
	}
	return time.Duration(median(fs))
}

// kernelTable turns the benchmarks' samples into the table of medians and
// 90th percentiles against the targets, the chart of the interrupts, and
// the notes on missed targets. Samples of one name from several lines (go
// test -count) are pooled.
func kernelTable(benches []KernelBench) (Table, Chart, []string) {
	var names []string
	pooled := map[string][]time.Duration{}
	for _, b := range benches {
		if _, ok := pooled[b.Name]; !ok {
			names = append(names, b.Name)
		}
		pooled[b.Name] = append(pooled[b.Name], b.Samples...)
	}
	t := Table{Title: "Latencies", Columns: []string{"measurement", "samples", "median ms", "p90 ms", "target (median)", "verdict"}}
	chart := Chart{File: "kernel-interrupt.svg", Title: "interrupt_request → status idle, median ms (lower is better)", Unit: "ms"}
	var missed []string
	for _, name := range names {
		s := slices.Clone(pooled[name])
		slices.Sort(s)
		med, p90 := medianDuration(s), quantile(s, 0.9)
		target, verdict := "—", "—"
		if want := kernelTarget(name); want > 0 {
			target, verdict = "≤ "+ms(want)+" ms", "pass"
			if med > want {
				verdict = "**miss**"
				missed = append(missed, fmt.Sprintf("%s: median %s ms against ≤ %s ms", kernelLabel(name), ms(med), ms(want)))
			}
		}
		t.Rows = append(t.Rows, []string{kernelLabel(name), strconv.Itoa(len(s)), ms(med), ms(p90), target, verdict})
		if sub, ok := strings.CutPrefix(name, "BenchmarkInterrupt/"); ok {
			chart.Bars = append(chart.Bars, Bar{Label: strings.ReplaceAll(sub, "_", " "), Series: "sockbook kernel", Value: float64(med) / float64(time.Millisecond)})
		}
	}
	return t, chart, missed
}

// runKernel is the kernel subcommand.
func runKernel(ctx context.Context, args []string, common *commonFlags) (*Report, error) {
	fs := flag.NewFlagSet("kernel", flag.ContinueOnError)
	common.register(fs)
	benchtime := fs.String("benchtime", "3s", "go test -benchtime of each kernel benchmark")
	notebooks := fs.String("notebooks", "all", `notebooks that nbrun and nbclient both run, from the module root, comma-separated; "all" is every notebooks/*.ipynb, empty compares none`)
	nbRounds := fs.Int("nb-rounds", 5, "rounds of the notebook comparison; figures are medians")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if common.short {
		shortDefault(fs, "benchtime", "3x")
		shortDefault(fs, "nb-rounds", "1")
		shortDefault(fs, "notebooks", "notebooks/01-addresses.ipynb")
	}
	if *nbRounds < 1 {
		return nil, fmt.Errorf("-nb-rounds %d: must be positive", *nbRounds)
	}
	started := time.Now()
	machine := describeMachine()
	root, err := kernelbin.ModuleDir(ctx)
	if err != nil {
		return nil, err
	}
	kernelPath, err := kernelbin.Build(ctx, root, os.Stderr)
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "bench-kernel-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)

	benches, err := runKernelBenchmarks(ctx, root, *benchtime, filepath.Join(tmp, "samples.jsonl"))
	if err != nil {
		return nil, err
	}
	raw := kernelRaw{Benchmarks: rawBenches(benches)}
	r := &Report{Name: "kernel", Title: "The sockbook kernel: start, cells, inspect, interrupts", Started: started, Machine: machine, Raw: &raw}
	t, chart, missed := kernelTable(benches)
	r.Tables = []Table{t}
	r.Charts = []Chart{chart}
	r.Notes = []string{
		fmt.Sprintf("The Go benchmarks of `tools/kernel/bench_test.go`, run with `go test -run '^$' -bench '%s' -benchtime %s ./tools/kernel` "+
			"and read sample by sample; p90 is the 90th percentile by nearest rank. "+
			"Kernel start launches a fresh kernel process for each sample; everything else runs on one kernel per benchmark, "+
			"through `tools/jupyter`'s client over loopback ZeroMQ. "+
			"Each interrupted cell is one of TestInterrupt's, left to block for 50 ms first; the time runs from sending interrupt_request "+
			"(or SIGINT, in the kernelspec's other mode) to the kernel's status idle for that cell.", kernelBenchmarks, *benchtime),
	}
	if len(missed) == 0 {
		r.Notes = append(r.Notes, "Every target of the kernel issue is **met** by its median.")
	} else {
		r.Notes = append(r.Notes, "Targets **missed**: "+strings.Join(missed, "; ")+".")
	}
	r.Notes = append(r.Notes, kernelFindings(benches)...)

	if *notebooks != "" {
		names, err := notebookList(root, *notebooks)
		if err != nil {
			return nil, err
		}
		runs, note, err := compareNotebookRunners(ctx, root, names, kernelbin.Spec(kernelPath), *nbRounds, tmp)
		if err != nil {
			return nil, err
		}
		raw.Notebooks, raw.Runs = names, runs
		if runs != nil {
			r.Tables = append(r.Tables, notebookTable(names, runs))
		}
		r.Notes = append(r.Notes, note)
	}
	return r, nil
}

// notebookList turns the -notebooks flag into paths from the module root.
func notebookList(root, flagValue string) ([]string, error) {
	if flagValue == "all" {
		paths, err := filepath.Glob(filepath.Join(root, "notebooks", "*.ipynb"))
		if err != nil || len(paths) == 0 {
			return nil, fmt.Errorf("-notebooks all: no notebooks/*.ipynb under %s", root)
		}
		var names []string
		for _, p := range paths {
			names = append(names, "notebooks/"+filepath.Base(p))
		}
		return names, nil
	}
	var names []string
	for n := range strings.SplitSeq(flagValue, ",") {
		n = strings.TrimSpace(n)
		if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(n))); err != nil {
			return nil, fmt.Errorf("-notebooks %q: %w", flagValue, err)
		}
		names = append(names, n)
	}
	return names, nil
}

// kernelFindings explains what the figures show beyond pass and miss.
func kernelFindings(benches []KernelBench) []string {
	var ready []time.Duration
	var notes []string
	channel := false
	for _, b := range benches {
		switch b.Name {
		case "BenchmarkKernelStart/client_ready":
			ready = append(ready, b.Samples...)
		case "BenchmarkInterrupt/channel_receive":
			channel = true
		}
	}
	if channel {
		notes = append(notes, "A receive from a channel that nothing sends on is the one cell no deadline or signal can wake: "+
			"the kernel abandons it after `session.DefaultAbandonAfter` (100 ms when this was written), which is that row's floor.")
	}
	if len(ready) == 0 {
		return notes
	}
	slow, cutoff := 0, medianDuration(ready)+200*time.Millisecond
	for _, d := range ready {
		if d > cutoff {
			slow++
		}
	}
	if slow == 0 {
		return notes
	}
	return append(notes, fmt.Sprintf("A ready `jupyter.Client` sometimes takes 250 ms longer than the kernel's first reply (%d of %d samples here): `Dial` waits until a ", slow, len(ready))+
		"kernel_info_request's status messages arrive on iopub too, and when the SUB socket's subscription reaches the kernel after "+
		"the first request's status was published, it waits 250 ms before asking again. The kernel was up; the wait is the client's.")
}

// runKernelBenchmarks runs the kernel's Go benchmarks in a go test
// process, its output on stderr for progress, and reads their samples.
func runKernelBenchmarks(ctx context.Context, root, benchtime, samples string) ([]KernelBench, error) {
	cmd := exec.CommandContext(ctx, "go", "test", "-count=1", "-timeout=30m", "-run=^$", "-bench="+kernelBenchmarks,
		"-benchtime="+benchtime, "./tools/kernel", "-args", "-kernel.samples="+samples)
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	fmt.Fprintf(os.Stderr, "kernel: %s\n", strings.Join(cmd.Args, " "))
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("go test the kernel benchmarks: %w", err)
	}
	return readKernelSamples(samples)
}

// readKernelSamples reads a -kernel.samples file.
func readKernelSamples(path string) ([]KernelBench, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var benches []KernelBench
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var b KernelBench
		if err := json.Unmarshal(sc.Bytes(), &b); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		benches = append(benches, b)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(benches) == 0 {
		return nil, fmt.Errorf("%s: no samples", path)
	}
	return benches, nil
}

// nbclientTimed runs a notebook with Debian's nbclient, as the notebooks'
// own tests do, and prints how long execute() took (kernel start, every
// cell, shutdown), how long the cells took, from the first one's status
// busy to the last one's status idle, and how many cells ran.
const nbclientTimed = `
import json, sys, time
from datetime import datetime
import nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
start = time.perf_counter()
NotebookClient(nb, kernel_name="sockbook", timeout=120).execute()
elapsed = time.perf_counter() - start
def when(s):
    return datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
times = [c.metadata["execution"] for c in nb.cells if c.cell_type == "code" and "execution" in c.metadata]
cells = when(times[-1]["iopub.status.idle"]) - when(times[0]["iopub.status.busy"]) if times else 0
print(json.dumps({"execute_s": elapsed, "cells_s": cells, "ran": len(times)}))
`

// timedExecutor is a notebook's kernel client that notes when its first
// cell started and its last one ended.
type timedExecutor struct {
	*jupyter.Client
	first, last time.Time
	ran         int
}

func (t *timedExecutor) Execute(ctx context.Context, code string) (*jupyter.Execution, error) {
	if t.first.IsZero() {
		t.first = time.Now()
	}
	ex, err := t.Client.Execute(ctx, code)
	t.last = time.Now()
	t.ran++
	return ex, err
}

// runNotebook runs the notebook at path as nbrun.RunFile does (a fresh
// kernel, every cell with its outputs compared, shutdown, the kernel's
// exit), timing its phases.
func runNotebook(ctx context.Context, path string, spec jupyter.KernelSpec) (NotebookRun, error) {
	run := NotebookRun{Runner: "nbrun"}
	nb, err := nbformat.ReadFile(path)
	if err != nil {
		return run, err
	}
	start := time.Now()
	k, err := jupyter.StartKernel(spec, nil, nil)
	if err != nil {
		return run, err
	}
	defer k.Close(5 * time.Second)
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	c, err := k.Dial(dctx)
	cancel()
	if err != nil {
		return run, fmt.Errorf("connecting to the kernel: %w", err)
	}
	ex := &timedExecutor{Client: c}
	results, err := nbrun.Run(ctx, nb, ex, nbrun.Options{})
	if err != nil {
		c.Close()
		return run, err
	}
	for _, res := range results {
		if res.Status == nbrun.Failed {
			c.Close()
			return run, fmt.Errorf("%s: %s", res.Name(), res.Reason)
		}
	}
	sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	c.Shutdown(sctx, false)
	cancel()
	c.Close()
	k.Close(5 * time.Second)
	run.Elapsed, run.Cells, run.Ran = time.Since(start), ex.last.Sub(ex.first), ex.ran
	return run, nil
}

// compareNotebookRunners runs each notebook of names rounds times with our
// runner and with nbclient, alternately, and returns the runs and a note
// for the report. Without nbclient it returns no runs and a note that
// says so.
func compareNotebookRunners(ctx context.Context, root string, names []string, spec jupyter.KernelSpec, rounds int, tmp string) ([]NotebookRun, string, error) {
	if out, err := exec.CommandContext(ctx, debianPython, "-c", "import nbclient, nbformat").CombinedOutput(); err != nil {
		return nil, fmt.Sprintf("Notebook runners: not compared, Debian's nbclient is not installed here (%s -c 'import nbclient, nbformat': %s). "+
			"`apt-get install python3-nbclient python3-nbformat` adds it.", debianPython, strings.TrimSpace(string(out))), nil
	}
	// The kernelspec, in a Jupyter data folder of our own.
	kdir := filepath.Join(tmp, "jupyter", "kernels", kernelbin.Name)
	if err := os.MkdirAll(kdir, 0o755); err != nil {
		return nil, "", err
	}
	specJSON, err := json.MarshalIndent(spec, "", "  ")
	if err != nil {
		return nil, "", err
	}
	if err := os.WriteFile(filepath.Join(kdir, "kernel.json"), specJSON, 0o644); err != nil {
		return nil, "", err
	}
	// nbclient gets the copy Jupyter would: cells whose requirements this
	// machine does not meet tagged skip-execution, as nbrun skips them.
	forNbclient := map[string]string{}
	for i, name := range names {
		stored, err := nbformat.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
		if err != nil {
			return nil, "", err
		}
		prepared, err := nbrun.ForJupyter(stored, nil)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", name, err)
		}
		in := filepath.Join(tmp, fmt.Sprintf("for-nbclient-%d.ipynb", i))
		if err := nbformat.WriteFile(in, prepared); err != nil {
			return nil, "", err
		}
		forNbclient[name] = in
	}

	var runs []NotebookRun
	for round := 1; round <= rounds; round++ {
		for _, name := range names {
			path := filepath.Join(root, filepath.FromSlash(name))
			run, err := runNotebook(ctx, path, spec)
			if err != nil {
				return nil, "", fmt.Errorf("nbrun on %s: %w", name, err)
			}
			run.Notebook, run.Round = name, round
			runs = append(runs, run)
			fmt.Fprintf(os.Stderr, "kernel: round %d %s nbrun    %v (cells %v)\n", round, name, run.Elapsed.Round(time.Millisecond), run.Cells.Round(time.Millisecond))

			cmd := exec.CommandContext(ctx, debianPython, "-c", nbclientTimed, forNbclient[name])
			cmd.Env = append(os.Environ(), "JUPYTER_DATA_DIR="+filepath.Join(tmp, "jupyter"))
			var stderr strings.Builder
			cmd.Stderr = &stderr
			start := time.Now()
			out, err := cmd.Output()
			process := time.Since(start)
			if err != nil {
				return nil, "", fmt.Errorf("nbclient on %s: %w\n%s", name, err, stderr.String())
			}
			var got struct {
				Execute float64 `json:"execute_s"`
				Cells   float64 `json:"cells_s"`
				Ran     int     `json:"ran"`
			}
			if err := json.Unmarshal(out, &got); err != nil {
				return nil, "", fmt.Errorf("nbclient printed %q: %w", out, err)
			}
			secs := func(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
			run = NotebookRun{Notebook: name, Runner: "nbclient", Round: round, Elapsed: secs(got.Execute), Cells: secs(got.Cells), Ran: got.Ran, Process: process}
			runs = append(runs, run)
			fmt.Fprintf(os.Stderr, "kernel: round %d %s nbclient %v (cells %v, process %v)\n", round, name,
				run.Elapsed.Round(time.Millisecond), run.Cells.Round(time.Millisecond), process.Round(time.Millisecond))
			if ctx.Err() != nil {
				return nil, "", ctx.Err()
			}
		}
	}
	for _, name := range names {
		o, th := notebookMedians(runs, name)
		if o.Elapsed <= 0 || th.Elapsed <= 0 {
			return nil, "", fmt.Errorf("notebook comparison: no runs of %s", name)
		}
		if o.Ran != th.Ran {
			return nil, "", fmt.Errorf("notebook comparison: %s: nbrun ran %d cells, nbclient %d", name, o.Ran, th.Ran)
		}
	}
	ours, theirs := notebookSums(runs, names)
	note := fmt.Sprintf("Notebook runners: %d notebook(s), %d cells run, by our runner (`tools/nbrun`, as `nbrun.RunFile` runs it: kernel start, every cell with its outputs compared, shutdown) "+
		"and by Debian's nbclient (`NotebookClient.execute()`: kernel start, every cell, shutdown), alternately, notebook by notebook, %d round(s), medians per notebook, summed: "+
		"nbclient takes **%s×** our runner's time from kernel start to exit, and %s× for the cells alone. "+
		"The process column adds Python's start and imports.",
		len(names), ours.Ran, rounds, formatValue(float64(theirs.Elapsed)/float64(ours.Elapsed)), formatValue(float64(theirs.Cells)/float64(ours.Cells)))
	return runs, note, nil
}

// notebookMedians returns each runner's medians over the rounds of one
// notebook, as runs.
func notebookMedians(runs []NotebookRun, notebook string) (nbrunM, nbclientM NotebookRun) {
	pick := func(runner string) NotebookRun {
		var elapsed, cells, process []time.Duration
		m := NotebookRun{Notebook: notebook, Runner: runner}
		for _, r := range runs {
			if r.Runner == runner && r.Notebook == notebook {
				elapsed, cells, process = append(elapsed, r.Elapsed), append(cells, r.Cells), append(process, r.Process)
				m.Ran, m.Round = r.Ran, m.Round+1
			}
		}
		if m.Round > 0 {
			m.Elapsed, m.Cells, m.Process = medianDuration(elapsed), medianDuration(cells), medianDuration(process)
		}
		return m
	}
	return pick("nbrun"), pick("nbclient")
}

// notebookTable shows, notebook by notebook and summed, the runners'
// medians and their ratios.
func notebookTable(notebooks []string, runs []NotebookRun) Table {
	ratio := func(a, b time.Duration) string { return formatValue(float64(a)/float64(b)) + "×" }
	t := Table{
		Title:   "Notebook runners, start to exit and cells alone, medians",
		Columns: []string{"notebook", "cells", "rounds", "nbrun ms", "nbclient ms", "nbclient/nbrun", "nbrun cells ms", "nbclient cells ms", "cells ratio", "nbclient process ms"},
	}
	for _, nb := range notebooks {
		ours, theirs := notebookMedians(runs, nb)
		t.Rows = append(t.Rows, []string{path.Base(nb), strconv.Itoa(ours.Ran), strconv.Itoa(ours.Round), ms(ours.Elapsed), ms(theirs.Elapsed), ratio(theirs.Elapsed, ours.Elapsed),
			ms(ours.Cells), ms(theirs.Cells), ratio(theirs.Cells, ours.Cells), ms(theirs.Process)})
	}
	if len(notebooks) > 1 {
		ours, theirs := notebookSums(runs, notebooks)
		t.Rows = append(t.Rows, []string{"all, summed", strconv.Itoa(ours.Ran), "", ms(ours.Elapsed), ms(theirs.Elapsed), ratio(theirs.Elapsed, ours.Elapsed),
			ms(ours.Cells), ms(theirs.Cells), ratio(theirs.Cells, ours.Cells), ms(theirs.Process)})
	}
	return t
}

// notebookSums adds up each runner's per-notebook medians over notebooks:
// the suite's figures.
func notebookSums(runs []NotebookRun, notebooks []string) (nbrunSum, nbclientSum NotebookRun) {
	sum := [2]NotebookRun{{Runner: "nbrun"}, {Runner: "nbclient"}}
	for _, nb := range notebooks {
		ours, theirs := notebookMedians(runs, nb)
		for i, m := range []NotebookRun{ours, theirs} {
			sum[i].Ran, sum[i].Elapsed, sum[i].Cells, sum[i].Process = sum[i].Ran+m.Ran, sum[i].Elapsed+m.Elapsed, sum[i].Cells+m.Cells, sum[i].Process+m.Process
		}
	}
	return sum[0], sum[1]
}
