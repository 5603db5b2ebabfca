package testenv

import (
	"os"
	"testing"
	"time"
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
