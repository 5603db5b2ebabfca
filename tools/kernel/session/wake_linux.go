package session

import (
	"bytes"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// threadID returns the calling thread's ID.
func threadID() int { return unix.Gettid() }

// kickThread interrupts the system call thread tid waits in, if it waits in
// one the cell made. It sends SIGURG, the signal Go's scheduler itself uses
// to preempt: the runtime's handler ignores it, and a wait in epoll_wait,
// poll, select, pause or a sleep returns EINTR, which those never restart.
// Reads and writes on blocking descriptors restart after a handled signal,
// so those are not woken here.
//
// A thread that waits in futex is the runtime parking the goroutine (a
// channel receive, a mutex): a signal would change nothing.
func kickThread(tid int) {
	if tid == 0 {
		return
	}
	b, err := os.ReadFile("/proc/self/task/" + strconv.Itoa(tid) + "/syscall")
	if err != nil {
		return
	}
	field, _, _ := bytes.Cut(bytes.TrimSpace(b), []byte(" "))
	nr, err := strconv.Atoi(string(field))
	if err != nil || nr < 0 || nr == unix.SYS_FUTEX {
		return // "running", or parked
	}
	unix.Tgkill(unix.Getpid(), tid, unix.SIGURG)
}
