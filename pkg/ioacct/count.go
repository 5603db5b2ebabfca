package ioacct

import (
	"bytes"
	"os"
	"runtime"
	"strconv"

	"golang.org/x/sys/unix"
)

// Counts is what the kernel's accounting saw one thread do.
type Counts struct {
	// Measured is false where the accounting cannot be read; the counts
	// are then zero.
	Measured bool
	// ReadCalls is the number of read-side system calls.
	ReadCalls int64
	// WriteCalls is the number of write-side system calls.
	WriteCalls int64
}

// Count runs f on a locked OS thread and returns the read-side and
// write-side system calls the kernel saw that thread make while f ran,
// with f's error. The counts are f's own only if f makes its calls on the
// calling goroutine: calls made by other goroutines, or by the runtime's
// network poller on f's behalf, run on other threads and are not counted.
func Count(f func() error) (Counts, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()

	// thread-self is resolved at open, so the file describes this thread
	// for as long as the lock holds.
	acct, err := os.Open("/proc/thread-self/io")
	if err != nil {
		return Counts{}, f()
	}
	defer acct.Close()
	before, ok := snapshot(acct)
	if !ok {
		return Counts{}, f()
	}
	err = f()
	after, ok := snapshot(acct)
	if !ok {
		return Counts{}, err
	}
	// The kernel counts a read after it returns, so the snapshot taken
	// before f is in after's count but not in before's: take it off.
	return Counts{
		Measured:   true,
		ReadCalls:  after.ReadCalls - before.ReadCalls - 1,
		WriteCalls: after.WriteCalls - before.WriteCalls,
	}, err
}

// snapshot reads the accounting with a single pread, so that it costs
// exactly one read-side call.
func snapshot(acct *os.File) (Counts, bool) {
	// os.File.ReadAt would pread again to see EOF; one raw pread is all
	// the (short) file needs.
	var buf [512]byte
	var n int
	var err error
	rc, rcErr := acct.SyscallConn()
	if rcErr != nil {
		return Counts{}, false
	}
	if rcErr := rc.Control(func(fd uintptr) {
		n, err = unix.Pread(int(fd), buf[:], 0)
	}); rcErr != nil || err != nil || n <= 0 {
		return Counts{}, false
	}
	return parse(buf[:n])
}

// parse reads the syscr and syscw lines of an accounting file.
func parse(b []byte) (Counts, bool) {
	var c Counts
	var haveR, haveW bool
	for line := range bytes.Lines(b) {
		name, value, ok := bytes.Cut(bytes.TrimSpace(line), []byte(": "))
		if !ok {
			continue
		}
		v, err := strconv.ParseInt(string(value), 10, 64)
		if err != nil {
			continue
		}
		switch string(name) {
		case "syscr":
			c.ReadCalls, haveR = v, true
		case "syscw":
			c.WriteCalls, haveW = v, true
		}
	}
	c.Measured = haveR && haveW
	return c, c.Measured
}
