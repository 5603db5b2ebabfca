package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// clockTick is the unit of utime and stime in /proc/PID/stat. Linux has
// reported them in USER_HZ = 100 on every architecture for decades, and Go
// has no sysconf to ask.
const clockTick = 10 * time.Millisecond

// usage is what /proc says about a process at one moment.
type usage struct {
	User, System time.Duration // CPU time since the process started
	RSS          int64         // resident set size in bytes
	FDs          int           // open descriptors
	Switches     int64         // voluntary plus involuntary context switches of its live threads
	Threads      int
	// OnCPU is the run time of its live threads from /proc/PID/task/*/schedstat,
	// in nanoseconds rather than utime's 10 ms ticks, but without the
	// user/system split and without threads that have exited.
	OnCPU time.Duration
	// Reads and Writes count read-like and write-like system calls
	// (syscr and syscw of /proc/PID/io): read, recvfrom, write, sendto and
	// kin, but not epoll_wait.
	Reads, Writes int64
}

// readUsage reads pid's CPU time, memory, descriptors and context switches.
func readUsage(pid int) (usage, error) {
	var u usage
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return u, err
	}
	// The command name in parentheses may hold spaces; the fields that
	// follow it are fixed: utime and stime are the 12th and 13th after it.
	rest := stat[bytes.LastIndexByte(stat, ')')+2:]
	f := strings.Fields(string(rest))
	if len(f) < 13 {
		return u, fmt.Errorf("/proc/%d/stat: %d fields after the name", pid, len(f))
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return u, fmt.Errorf("/proc/%d/stat: utime %q stime %q", pid, f[11], f[12])
	}
	u.User, u.System = time.Duration(ut)*clockTick, time.Duration(st)*clockTick

	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return u, err
	}
	u.RSS = statusField(status, "VmRSS:") << 10
	u.Threads = int(statusField(status, "Threads:"))

	fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		return u, err
	}
	u.FDs = len(fds)

	// A process's own status and schedstat are its main thread's only.
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*", pid))
	for _, t := range tasks {
		if b, err := os.ReadFile(t + "/status"); err == nil {
			u.Switches += statusField(b, "voluntary_ctxt_switches:") + statusField(b, "nonvoluntary_ctxt_switches:")
		}
		if b, err := os.ReadFile(t + "/schedstat"); err == nil {
			if f := strings.Fields(string(b)); len(f) > 0 {
				ns, _ := strconv.ParseInt(f[0], 10, 64)
				u.OnCPU += time.Duration(ns)
			}
		}
	}
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/io", pid)); err == nil {
		b = append([]byte("\n"), b...)
		u.Reads, u.Writes = statusField(b, "syscr:"), statusField(b, "syscw:")
	}
	return u, nil
}

// statusField returns the number after name in a /proc status file, or 0.
func statusField(status []byte, name string) int64 {
	i := bytes.Index(status, []byte("\n"+name))
	if i < 0 {
		return 0
	}
	line := status[i+1+len(name):]
	if j := bytes.IndexByte(line, '\n'); j >= 0 {
		line = line[:j]
	}
	f := strings.Fields(string(line))
	if len(f) == 0 {
		return 0
	}
	n, _ := strconv.ParseInt(f[0], 10, 64)
	return n
}

// pinSelf binds every thread of this process to cpu. Threads started
// later inherit the mask from the thread that creates them, so doing this
// early pins the whole load generator.
func pinSelf(cpu int) error {
	var set unix.CPUSet
	set.Set(cpu)
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return err
	}
	for _, t := range tasks {
		tid, err := strconv.Atoi(t.Name())
		if err != nil {
			continue
		}
		if err := unix.SchedSetaffinity(tid, &set); err != nil {
			return fmt.Errorf("pin thread %d to CPU %d: %w", tid, cpu, err)
		}
	}
	return nil
}

// Machine describes where a benchmark ran, so that figures are never read
// without it.
type Machine struct {
	CPU       string  `json:"cpu"`
	CPUs      int     `json:"cpus"`
	Kernel    string  `json:"kernel"`
	Go        string  `json:"go"`
	MemoryGiB float64 `json:"memory_gib"`
	Load      string  `json:"load_at_start"` // 1, 5 and 15 minute load averages
	LoadAfter string  `json:"load_at_end,omitempty"`
	// Noisy is set when the 1-minute load before or after the run was
	// above NoisyLoad per CPU: other work shared the machine, so single
	// figures mean little (ratios taken within a round still hold best).
	Noisy   bool   `json:"noisy,omitempty"`
	Virtual string `json:"virtualization,omitempty"`
}

// NoisyLoad is the 1-minute load average per CPU above which a run is
// marked noisy.
const NoisyLoad = 1.5

// loadAverage returns /proc/loadavg's 1, 5 and 15 minute figures, or ""
// where there is no such file.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	if f := strings.Fields(string(b)); len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return ""
}

// noteLoad records the load averages before and after a run, as
// loadAverage spells them, and marks the run noisy if either 1-minute
// figure exceeds NoisyLoad per CPU.
func (m *Machine) noteLoad(before, after string) {
	m.Load, m.LoadAfter = before, after
	m.Noisy = false
	for _, l := range []string{before, after} {
		one, _, _ := strings.Cut(l, " ")
		if v, err := strconv.ParseFloat(one, 64); err == nil && v > NoisyLoad*float64(m.CPUs) {
			m.Noisy = true
		}
	}
}

// describeMachine gathers Machine from /proc and uname.
func describeMachine() Machine {
	m := Machine{CPUs: runtime.NumCPU(), Go: runtime.Version()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.SplitSeq(string(b), "\n") {
			k, v, ok := strings.Cut(line, ":")
			if !ok {
				continue
			}
			switch strings.TrimSpace(k) {
			case "model name":
				if m.CPU == "" {
					m.CPU = strings.TrimSpace(v)
				}
			case "flags":
				if strings.Contains(v, " hypervisor") {
					m.Virtual = "hypervisor"
				}
			}
		}
	}
	var uts unix.Utsname
	if unix.Uname(&uts) == nil {
		m.Kernel = unix.ByteSliceToString(uts.Sysname[:]) + " " + unix.ByteSliceToString(uts.Release[:]) + " " + unix.ByteSliceToString(uts.Machine[:])
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		m.MemoryGiB = float64(statusField(append([]byte("\n"), b...), "MemTotal:")) / (1 << 20)
	}
	m.Load = loadAverage()
	return m
}

// String formats m on one line for reports.
func (m Machine) String() string {
	s := fmt.Sprintf("%s, %d CPUs, %.1f GiB, %s, %s, load %s", m.CPU, m.CPUs, m.MemoryGiB, m.Kernel, m.Go, m.Load)
	if m.LoadAfter != "" {
		s = fmt.Sprintf("%s before and %s after", s, m.LoadAfter)
	}
	if m.Noisy {
		s += fmt.Sprintf(" (noisy: above %.1f per CPU)", NoisyLoad)
	}
	if m.Virtual != "" {
		s += ", " + m.Virtual
	}
	return s
}
