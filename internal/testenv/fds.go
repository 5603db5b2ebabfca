package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// OpenFDs returns the number of file descriptors this process holds, read
// from /proc/self/fd. It returns -1 where that directory does not exist.
func OpenFDs() int {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(entries) - 1 // ReadDir's own descriptor is listed too
}

// CheckFDs records the descriptor count now and, when t ends, fails t if
// more descriptors are open than before. Closing can lag behind a server's
// return by a scheduler tick (the runtime's poller, goroutines exiting), so
// the final count is retried for up to two seconds before failing.
//
// Tests using CheckFDs must not run in parallel with others in the process.
func CheckFDs(t testing.TB) {
	t.Helper()
	before := OpenFDs()
	if before < 0 {
		return
	}
	t.Cleanup(func() {
		deadline := time.Now().Add(2 * time.Second)
		for {
			after := OpenFDs()
			if after <= before {
				return
			}
			if time.Now().After(deadline) {
				t.Errorf("file descriptor leak: %d open before the test, %d after", before, after)
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}

// ChildProcesses lists the PIDs of this process's children, read from
// /proc. Tests that start kernels or servers as processes use it to prove
// that none outlives them.
func ChildProcesses() []int {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var kids []int
	for _, f := range stats {
		b, err := os.ReadFile(f)
		if err != nil {
			continue // exited meanwhile
		}
		// The command name, in parentheses, may hold spaces: the fields
		// that follow start after its closing parenthesis.
		_, rest, _ := strings.Cut(string(b), ") ")
		fields := strings.Fields(rest)
		if len(fields) > 1 && fields[1] == strconv.Itoa(os.Getpid()) {
			pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(f)))
			kids = append(kids, pid)
		}
	}
	return kids
}

// RunNoChildren runs m and returns its exit code, turned into a failure
// when a child process (a kernel, a server) outlives the tests. Use it as
// os.Exit(testenv.RunNoChildren(m)) in TestMain.
func RunNoChildren(m *testing.M) int {
	code := m.Run()
	if kids := ChildProcesses(); len(kids) > 0 {
		fmt.Fprintf(os.Stderr, "child processes survived the tests: %v\n", kids)
		code = 1
	}
	return code
}

// Socketpair returns a connected pair of non-blocking UNIX stream sockets,
// the readiness tests' usual subject. The caller closes them: a cleanup
// could close a number the test has closed and the kernel reused.
func Socketpair(t testing.TB) [2]int {
	t.Helper()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	if err != nil {
		t.Fatalf("socketpair: %v", err)
	}
	for _, fd := range fds {
		// SOCK_NONBLOCK is Linux's; SetNonblock works on the BSDs too.
		if err := unix.SetNonblock(fd, true); err != nil {
			t.Fatalf("socketpair: set non-blocking: %v", err)
		}
	}
	return fds
}
