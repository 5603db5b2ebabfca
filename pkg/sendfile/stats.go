package sendfile

import (
	"bytes"
	"os"
	"runtime"
	"strconv"

	"golang.org/x/sys/unix"
)

// Stats tells how a copy went: which system calls moved the bytes and how
// many of them it took.
type Stats struct {
	// Method is the method that moved the bytes. It differs from the one
	// asked for only after a fallback.
	Method Method
	// Fallback says why the method asked for gave way to Method; nil if
	// it did not.
	Fallback error
	// Bytes is the number of bytes moved.
	Bytes int64
	// Calls counts the system calls this package made that moved data:
	// sendfile, copy_file_range or read calls. It is 0 for IOCopy, whose
	// calls are made inside the standard library; see Kernel for those.
	Calls int
	// Largest is the most bytes a single one of those calls moved.
	Largest int
	// Retries counts calls that returned EINTR or EAGAIN and were made
	// again (after waiting for the descriptor, for EAGAIN).
	Retries int
	// Kernel is the kernel's own count of the copy's system calls.
	Kernel KernelIO
}

// record notes one call that moved n bytes.
func (s *Stats) record(n int) {
	s.Calls++
	s.Bytes += int64(n)
	s.Largest = max(s.Largest, n)
}

// KernelIO is what the kernel's per-thread I/O accounting
// (/proc/thread-self/io, the syscr and syscw lines) saw while a copy ran.
// The kernel counts sendfile, copy_file_range and splice as one read-side
// and one write-side call each, read and pread as read-side calls, and write
// and pwrite as write-side calls. The copy runs on one locked OS thread, so
// the counts are the copy's own.
type KernelIO struct {
	// Measured is false where the accounting cannot be read (a kernel
	// without CONFIG_TASK_IO_ACCOUNTING); the counts are then zero.
	Measured bool
	// ReadCalls is the number of read-side system calls.
	ReadCalls int64
	// WriteCalls is the number of write-side system calls.
	WriteCalls int64
}

// countSyscalls runs f on a locked OS thread and returns the read-side and
// write-side system calls the kernel saw that thread make while f ran.
func countSyscalls(f func() error) (KernelIO, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()

	// thread-self is resolved at open, so the file describes this thread
	// for as long as the lock holds.
	acct, err := os.Open("/proc/thread-self/io")
	if err != nil {
		return KernelIO{}, f()
	}
	defer acct.Close()
	before, ok := readIOAccounting(acct)
	if !ok {
		return KernelIO{}, f()
	}
	err = f()
	after, ok := readIOAccounting(acct)
	if !ok {
		return KernelIO{}, err
	}
	// The kernel counts a read after it returns, so the snapshot taken
	// before f is in after's count but not in before's: take it off.
	return KernelIO{
		Measured:   true,
		ReadCalls:  after.ReadCalls - before.ReadCalls - 1,
		WriteCalls: after.WriteCalls - before.WriteCalls,
	}, err
}

// readIOAccounting takes one snapshot with a single pread, so that it costs
// exactly one read-side call.
func readIOAccounting(acct *os.File) (KernelIO, bool) {
	// os.File.ReadAt would pread again to see EOF; one raw pread is all
	// the (short) file needs.
	var buf [512]byte
	var n int
	var err error
	rc, rcErr := acct.SyscallConn()
	if rcErr != nil {
		return KernelIO{}, false
	}
	if rcErr := rc.Control(func(fd uintptr) {
		n, err = unix.Pread(int(fd), buf[:], 0)
	}); rcErr != nil || err != nil || n <= 0 {
		return KernelIO{}, false
	}
	var k KernelIO
	var haveR, haveW bool
	for line := range bytes.Lines(buf[:n]) {
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
			k.ReadCalls, haveR = v, true
		case "syscw":
			k.WriteCalls, haveW = v, true
		}
	}
	return k, haveR && haveW
}
