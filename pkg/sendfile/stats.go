package sendfile

import "github.com/sockbook/sockbook/pkg/ioacct"

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
	// Kernel is the kernel's own count of the copy's system calls. The
	// copy runs on one locked OS thread, so the counts are the copy's own.
	Kernel ioacct.Counts
}

// record notes one call that moved n bytes.
func (s *Stats) record(n int) {
	s.Calls++
	s.Bytes += int64(n)
	s.Largest = max(s.Largest, n)
}
