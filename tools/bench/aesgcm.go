package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/sockbook/sockbook/pkg/afalg"
)

// Figures the cheat sheet printed for 1,000,000 round trips (seal then
// open) of a 4 KiB message, on a machine it does not describe.
const (
	cheatSheetKernel = 15.317010641098022 // seconds, AF_ALG with sendfile
	cheatSheetPython = 50.256704807281494 // seconds, the cryptography package
	cheatSheetCount  = 1_000_000
)

// GCMRun is one backend's timing.
type GCMRun struct {
	Backend    string        `json:"backend"`
	Round      int           `json:"round"`
	Iterations int           `json:"iterations"`
	Size       int           `json:"size"`
	Elapsed    time.Duration `json:"elapsed_ns"`
	CPU        time.Duration `json:"cpu_ns"`
	Err        string        `json:"error,omitempty"`
}

// runAESGCM is the aes-gcm subcommand.
func runAESGCM(ctx context.Context, args []string, common *commonFlags) (*Report, error) {
	fs := flag.NewFlagSet("aes-gcm", flag.ContinueOnError)
	common.register(fs)
	iterations := fs.Int("n", 100_000, "messages sealed and opened per backend and round")
	size := fs.Int("size", 4096, "bytes per message")
	rounds := fs.Int("rounds", 3, "rounds; figures are medians")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if common.short {
		shortDefault(fs, "n", "5000")
		shortDefault(fs, "rounds", "1")
	}
	if *iterations < 1 || *size < 1 || *rounds < 1 {
		return nil, fmt.Errorf("-n %d -size %d -rounds %d: all must be positive", *iterations, *size, *rounds)
	}
	backends := []struct {
		name string
		b    afalg.Backend
	}{{"AF_ALG (kernel)", afalg.Kernel}, {"crypto/cipher (Go)", afalg.Go}}

	var runs []GCMRun
	for round := 1; round <= *rounds; round++ {
		for _, be := range backends {
			run := GCMRun{Backend: be.name, Round: round, Iterations: *iterations, Size: *size}
			var cmp afalg.Comparison
			cpu, err := selfCPU(func() error {
				var err error
				cmp, err = afalg.CompareGCM(ctx, be.b, *iterations, *size)
				return err
			})
			run.CPU = cpu
			run.Elapsed = cmp.Go + cmp.Kernel // only the backend asked for is non-zero
			if err != nil {
				run.Err = err.Error()
			}
			runs = append(runs, run)
			fmt.Fprintf(os.Stderr, "aes-gcm: round %d %-20s %v %s\n", round, be.name, run.Elapsed, run.Err)
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
		}
	}

	r := &Report{Name: "aes-gcm", Title: "AES-GCM: AF_ALG against crypto/cipher", Started: time.Now(), Machine: describeMachine(), Raw: runs}
	r.Notes = []string{
		fmt.Sprintf("AES-128-GCM with a 16-byte tag and 16 bytes of associated data; each of %d messages of %d bytes is sealed, then opened and checked, in one goroutine, as the cheat sheet's script does. Figures are medians over %d rounds.", *iterations, *size, *rounds),
		fmt.Sprintf("For reference, the cheat sheet printed %.1f s for AF_ALG and %.1f s for Python's cryptography package for %d round trips of 4 KiB: %.1f µs and %.1f µs each, %.0f and %.0f MiB/s, on an undescribed machine.",
			cheatSheetKernel, cheatSheetPython, cheatSheetCount,
			cheatSheetKernel/cheatSheetCount*1e6, cheatSheetPython/cheatSheetCount*1e6,
			cheatSheetCount*4096/cheatSheetKernel/(1<<20), cheatSheetCount*4096/cheatSheetPython/(1<<20)),
	}
	t := Table{Title: "Seal and open round trips", Columns: []string{"backend", "µs per round trip", "MiB/s", "CPU s per GiB", "note"}}
	chart := Chart{File: "aes-gcm.svg", Title: fmt.Sprintf("AES-GCM seal+open of %d-byte messages, MiB/s (higher is better)", *size), Unit: "MiB/s"}
	kernelMissing := ""
	for _, be := range backends {
		var us, mib, cpu []float64
		var why error
		for _, run := range runs {
			if run.Backend != be.name {
				continue
			}
			if run.Err != "" {
				why = errors.New(run.Err)
				continue
			}
			us = append(us, run.Elapsed.Seconds()/float64(run.Iterations)*1e6)
			bytes := float64(run.Iterations) * float64(run.Size)
			mib = append(mib, bytes/(1<<20)/run.Elapsed.Seconds())
			cpu = append(cpu, run.CPU.Seconds()/(bytes/(1<<30)))
		}
		if len(us) == 0 {
			note := "not measured"
			if why != nil {
				note = why.Error()
			}
			if be.b == afalg.Kernel {
				kernelMissing = note
			}
			t.Rows = append(t.Rows, []string{be.name, "n/a", "n/a", "n/a", note})
			chart.Bars = append(chart.Bars, Bar{Label: be.name, Series: be.name, Missing: true})
			continue
		}
		t.Rows = append(t.Rows, []string{be.name, formatValue(median(us)), formatValue(median(mib)), formatValue(median(cpu)), ""})
		chart.Bars = append(chart.Bars, Bar{Label: be.name, Series: be.name, Value: median(mib)})
	}
	if kernelMissing != "" {
		r.Notes = append(r.Notes, "This machine's kernel has no AF_ALG, so only crypto/cipher was measured here. "+
			"`bash .ci/afalg-vm` runs both backends inside a qemu guest without KVM; its figures compare the backends there (every instruction translated by TCG) and say nothing about native speed.")
	}
	r.Tables = []Table{t}
	r.Charts = []Chart{chart}
	return r, nil
}
