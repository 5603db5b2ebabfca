package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"time"

	"github.com/sockbook/sockbook/pkg/sendfile"
)

// CopyRun is one copy of the source file by one method.
type CopyRun struct {
	Target  string        `json:"target"` // file or tcp
	Method  string        `json:"method"`
	Round   int           `json:"round"`
	Bytes   int64         `json:"bytes"`
	Elapsed time.Duration `json:"elapsed_ns"`
	CPU     time.Duration `json:"cpu_ns"` // user plus system, of whoever copied (and, for tcp, received)
	Err     string        `json:"error,omitempty"`
}

// runSendfile is the sendfile subcommand.
func runSendfile(ctx context.Context, args []string, common *commonFlags) (*Report, error) {
	fs := flag.NewFlagSet("sendfile", flag.ContinueOnError)
	common.register(fs)
	size := fs.Int64("size", 1<<30, "bytes in the source file")
	rounds := fs.Int("rounds", 3, "copies per method; figures are medians")
	dir := fs.String("dir", os.TempDir(), "folder for the source and destination files")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if common.short {
		shortDefault(fs, "size", strconv.Itoa(64<<20))
		shortDefault(fs, "rounds", "1")
	}
	if *size < 1 || *rounds < 1 {
		return nil, fmt.Errorf("-size %d -rounds %d: both must be positive", *size, *rounds)
	}
	work, err := os.MkdirTemp(*dir, "bench-sendfile")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	src := filepath.Join(work, "src")
	if err := fillFile(src, *size); err != nil {
		return nil, err
	}
	// Read it once so that every method starts from the page cache.
	if err := exec.CommandContext(ctx, "cat", src).Run(); err != nil {
		return nil, fmt.Errorf("warm the page cache: %w", err)
	}

	type variant struct {
		target, name string
		run          func(dst string) (time.Duration, error) // returns the CPU it took
	}
	fileCopy := func(m sendfile.Method, chunk int) func(string) (time.Duration, error) {
		return func(dst string) (time.Duration, error) {
			return selfCPU(func() error {
				_, err := sendfile.Copier{Method: m, Chunk: chunk}.CopyFile(dst, src)
				return err
			})
		}
	}
	variants := []variant{
		{"file", "read/write 32 KiB", fileCopy(sendfile.ReadWrite, 32<<10)},
		{"file", "io.Copy", fileCopy(sendfile.IOCopy, 0)},
		{"file", "sendfile", fileCopy(sendfile.Sendfile, 0)},
		{"file", "copy_file_range", fileCopy(sendfile.CopyFileRange, 0)},
		{"file", "cp (coreutils)", func(dst string) (time.Duration, error) {
			cmd := exec.CommandContext(ctx, "cp", src, dst)
			if out, err := cmd.CombinedOutput(); err != nil {
				return 0, fmt.Errorf("cp: %w: %s", err, out)
			}
			return cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), nil
		}},
		{"tcp", "read/write 32 KiB", func(string) (time.Duration, error) {
			return sendOverTCP(ctx, src, sendfile.Copier{Method: sendfile.ReadWrite, Chunk: 32 << 10})
		}},
		{"tcp", "sendfile", func(string) (time.Duration, error) {
			return sendOverTCP(ctx, src, sendfile.Copier{Method: sendfile.Sendfile})
		}},
	}

	var runs []CopyRun
	for round := 1; round <= *rounds; round++ {
		for _, v := range variants {
			dst := filepath.Join(work, "dst")
			start := time.Now()
			cpu, err := v.run(dst)
			run := CopyRun{Target: v.target, Method: v.name, Round: round, Bytes: *size, Elapsed: time.Since(start), CPU: cpu}
			if err == nil && v.target == "file" {
				err = sameSize(dst, *size)
			}
			if err != nil {
				run.Err = err.Error()
			}
			os.Remove(dst)
			runs = append(runs, run)
			fmt.Fprintf(os.Stderr, "sendfile: round %d %s %-18s %.2f GiB/s cpu %v %s\n", round, v.target, v.name, gibPerSec(run), cpu, run.Err)
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
		}
	}

	r := &Report{Name: "sendfile", Title: "Copying a file: read/write, io.Copy, sendfile, copy_file_range, cp", Started: time.Now(), Machine: describeMachine(), Raw: runs}
	r.Notes = []string{fmt.Sprintf("A %s source file, read once beforehand so that it is in the page cache, copied %d time(s) by each method; figures are medians. "+
		"CPU is user plus system time of this process (or of cp) around the copy; for TCP it includes the loopback receiver, which reads and discards, the same for both methods. "+
		"The destination is written to the page cache and not synced.", sizeName(*size), *rounds)}
	t := Table{Title: "GiB/s and CPU seconds per GiB", Columns: []string{"target", "method", "GiB/s", "CPU s/GiB", "note"}}
	rate := Chart{File: "sendfile-rate.svg", Title: "File copy throughput, GiB/s (higher is better)", Unit: "GiB/s"}
	cpuChart := Chart{File: "sendfile-cpu.svg", Title: "CPU seconds per GiB copied (lower is better)", Unit: "s"}
	for _, v := range variants {
		var g, c []float64
		var errs []string
		for _, run := range runs {
			if run.Target != v.target || run.Method != v.name {
				continue
			}
			if run.Err != "" {
				errs = append(errs, run.Err)
				continue
			}
			g = append(g, gibPerSec(run))
			c = append(c, run.CPU.Seconds()/(float64(run.Bytes)/(1<<30)))
		}
		label := v.target + ": " + v.name
		if len(g) == 0 {
			t.Rows = append(t.Rows, []string{v.target, v.name, "n/a", "n/a", errors.Join(stringErrs(errs)...).Error()})
			rate.Bars = append(rate.Bars, Bar{Label: label, Series: v.name, Missing: true})
			cpuChart.Bars = append(cpuChart.Bars, Bar{Label: label, Series: v.name, Missing: true})
			continue
		}
		t.Rows = append(t.Rows, []string{v.target, v.name, formatValue(median(g)), formatValue(median(c)), ""})
		rate.Bars = append(rate.Bars, Bar{Label: label, Series: v.name, Value: median(g)})
		cpuChart.Bars = append(cpuChart.Bars, Bar{Label: label, Series: v.name, Value: median(c)})
	}
	r.Tables = []Table{t}
	r.Charts = []Chart{rate, cpuChart}
	return r, nil
}

func gibPerSec(r CopyRun) float64 {
	if r.Err != "" || r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Bytes) / (1 << 30) / r.Elapsed.Seconds()
}

func sizeName(n int64) string {
	if n >= 1<<30 && n%(1<<30) == 0 {
		return fmt.Sprintf("%d GiB", n>>30)
	}
	return fmt.Sprintf("%d MiB", n>>20)
}

func stringErrs(s []string) []error {
	var errs []error
	for _, e := range slices.Compact(s) {
		errs = append(errs, errors.New(e))
	}
	return errs
}

// fillFile writes size bytes of pseudo-random data to path: incompressible,
// and cheap to make, unlike /dev/urandom's 9.9 MB/s in the cheat sheet.
func fillFile(path string, size int64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	buf := make([]byte, 1<<20)
	rng := rand.NewChaCha8([32]byte{'s', 'o', 'c', 'k', 'b', 'o', 'o', 'k'})
	for left := size; left > 0; left -= int64(len(buf)) {
		rng.Read(buf)
		if _, err := f.Write(buf[:min(left, int64(len(buf)))]); err != nil {
			f.Close()
			return fmt.Errorf("fill %s: %w", path, err)
		}
	}
	return f.Close()
}

func sameSize(path string, size int64) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if fi.Size() != size {
		return fmt.Errorf("%s has %d bytes, want %d", path, fi.Size(), size)
	}
	return nil
}

// selfCPU runs f and returns the user plus system time this process spent
// meanwhile.
func selfCPU(f func() error) (time.Duration, error) {
	var before, after syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &before); err != nil {
		return 0, err
	}
	err := f()
	if err := errors.Join(err, syscall.Getrusage(syscall.RUSAGE_SELF, &after)); err != nil {
		return 0, err
	}
	used := func(r syscall.Rusage) time.Duration {
		return time.Duration(r.Utime.Nano() + r.Stime.Nano())
	}
	return used(after) - used(before), nil
}

// sendOverTCP sends the file at src over a loopback connection to a
// receiver that discards it, and checks that every byte arrived.
func sendOverTCP(ctx context.Context, src string, c sendfile.Copier) (time.Duration, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	got := make(chan int64, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			got <- -1
			return
		}
		defer conn.Close()
		n, _ := io.Copy(io.Discard, conn)
		got <- n
	}()
	f, err := os.Open(src)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", ln.Addr().String())
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	return selfCPU(func() error {
		if _, err := c.Send(conn, f); err != nil {
			return err
		}
		if err := conn.(*net.TCPConn).CloseWrite(); err != nil {
			return err
		}
		if n, fi := <-got, stat(f); n != fi {
			return fmt.Errorf("receiver got %d bytes of %d", n, fi)
		}
		return nil
	})
}

func stat(f *os.File) int64 {
	fi, err := f.Stat()
	if err != nil {
		return -1
	}
	return fi.Size()
}
