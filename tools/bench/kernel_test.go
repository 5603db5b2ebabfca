package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKernelTable(t *testing.T) {
	msec := func(ms ...float64) []time.Duration {
		var ds []time.Duration
		for _, m := range ms {
			ds = append(ds, time.Duration(m*float64(time.Millisecond)))
		}
		return ds
	}
	benches := []KernelBench{
		{"BenchmarkKernelStart/kernel_info_reply", msec(150, 90, 120)},
		{"BenchmarkTrivialCell", msec(0.5, 0.4)},
		{"BenchmarkTrivialCell", msec(0.6)}, // a second -count: pooled
		{"BenchmarkComplete", msec(3)},
		{"BenchmarkInterrupt/channel_receive", msec(101, 102, 103, 104, 105, 106, 107, 108, 109, 110)},
		{"BenchmarkInterruptSignal/cpu_loop", msec(1)},
	}
	table, chart, missed := kernelTable(benches)
	require.Len(t, table.Rows, 5)
	assert.Equal(t, []string{"kernel start → kernel_info_reply", "3", "120", "150", "≤ 100 ms", "**miss**"}, table.Rows[0])
	assert.Equal(t, []string{"cell `1+1` → idle", "3", "0.5", "0.6", "≤ 1.00 ms", "pass"}, table.Rows[1])
	assert.Equal(t, []string{"complete `strings.Spl`", "1", "3.00", "3.00", "—", "—"}, table.Rows[2])
	assert.Equal(t, []string{"interrupt_request → idle: channel receive", "10", "106", "109", "≤ 200 ms", "pass"}, table.Rows[3])
	assert.Equal(t, "SIGINT → idle: cpu loop", table.Rows[4][0])
	assert.Equal(t, []string{"kernel start → kernel_info_reply: median 120 ms against ≤ 100 ms"}, missed)
	require.Len(t, chart.Bars, 1, "the chart shows interrupt_request's rows")
	assert.Equal(t, "channel receive", chart.Bars[0].Label)

	assert.Equal(t, 109*time.Millisecond, quantile(msec(101, 102, 103, 104, 105, 106, 107, 108, 109, 110), 0.9))
	assert.Equal(t, time.Millisecond, quantile(msec(1), 0.9))
	assert.Zero(t, quantile(nil, 0.9))
}

func TestNotebookTable(t *testing.T) {
	runs := []NotebookRun{
		{Notebook: "notebooks/x.ipynb", Runner: "nbrun", Round: 1, Elapsed: 100 * time.Millisecond, Cells: 10 * time.Millisecond, Ran: 4},
		{Notebook: "notebooks/x.ipynb", Runner: "nbclient", Round: 1, Elapsed: 300 * time.Millisecond, Cells: 20 * time.Millisecond, Ran: 4, Process: 500 * time.Millisecond},
		{Notebook: "notebooks/y.ipynb", Runner: "nbrun", Round: 1, Elapsed: 100 * time.Millisecond, Cells: 10 * time.Millisecond, Ran: 2},
		{Notebook: "notebooks/y.ipynb", Runner: "nbclient", Round: 1, Elapsed: 100 * time.Millisecond, Cells: 10 * time.Millisecond, Ran: 2, Process: 300 * time.Millisecond},
	}
	table := notebookTable([]string{"notebooks/x.ipynb"}, runs)
	require.Len(t, table.Rows, 1, "one notebook, no sum")
	assert.Equal(t, []string{"x.ipynb", "4", "1", "100", "300", "3.00×", "10.0", "20.0", "2.00×", "500"}, table.Rows[0])
	table = notebookTable([]string{"notebooks/x.ipynb", "notebooks/y.ipynb"}, runs)
	require.Len(t, table.Rows, 3)
	assert.Equal(t, []string{"all, summed", "6", "", "200", "400", "2.00×", "20.0", "30.0", "1.50×", "800"}, table.Rows[2], "medians per notebook, summed")
}

func TestNotebookList(t *testing.T) {
	names, err := notebookList("../..", "all")
	require.NoError(t, err)
	assert.Contains(t, names, "notebooks/01-addresses.ipynb")
	assert.Greater(t, len(names), 5)
	names, err = notebookList("../..", "notebooks/01-addresses.ipynb, notebooks/02-tcp.ipynb")
	require.NoError(t, err)
	assert.Equal(t, []string{"notebooks/01-addresses.ipynb", "notebooks/02-tcp.ipynb"}, names)
	_, err = notebookList("../..", "notebooks/nope.ipynb")
	assert.ErrorContains(t, err, "notebooks/nope.ipynb")
}

// TestKernelShort runs the kernel subcommand end to end, one sample per
// benchmark and no notebook, and checks the report it writes. It runs go
// test on tools/kernel, and builds the kernel if the cache has none.
func TestKernelShort(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the kernel's benchmarks in a go test of their own")
	}
	out := t.TempDir()
	var stdout bytes.Buffer
	require.NoError(t, run(context.Background(), []string{"-out", out, "-short", "kernel", "-benchtime", "1x", "-notebooks", ""}, &stdout))
	assert.Contains(t, stdout.String(), "interrupt_request → idle: cpu loop")
	var r Report
	data, err := os.ReadFile(filepath.Join(out, "kernel.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &r))
	require.Len(t, r.Tables, 1)
	// Two starts, a cell, two inspects, a completion, and both modes of
	// every interrupt case.
	assert.GreaterOrEqual(t, len(r.Tables[0].Rows), 6+2*7)
	for _, row := range r.Tables[0].Rows {
		assert.Equal(t, "1", row[1], "one sample each: %v", row)
	}
	assert.FileExists(t, filepath.Join(out, "kernel-interrupt.svg"))
}

func TestRawBenches(t *testing.T) {
	many := make([]time.Duration, 1000)
	for i := range many {
		many[i] = time.Duration(1000 - i)
	}
	raw := rawBenches([]KernelBench{{"few", []time.Duration{3, 1}}, {"many", many}, {"few", []time.Duration{2}}})
	require.Len(t, raw, 2)
	assert.Equal(t, kernelRawBench{Name: "few", N: 3, Samples: []time.Duration{1, 2, 3}}, raw[0])
	assert.Equal(t, 1000, raw[1].N)
	assert.Nil(t, raw[1].Samples)
	require.Len(t, raw[1].Percentiles, 101)
	assert.Equal(t, time.Duration(1), raw[1].Percentiles[0])
	assert.Equal(t, time.Duration(500), raw[1].Percentiles[50])
	assert.Equal(t, time.Duration(1000), raw[1].Percentiles[100])
}
