package testenv

import (
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// SockoptInt reads an integer socket option from c's descriptor, so a test
// can check what the kernel holds rather than what the code meant to set.
// It fails the test if the option cannot be read.
func SockoptInt(t testing.TB, c syscall.Conn, level, opt int) int {
	t.Helper()
	raw, err := c.SyscallConn()
	if err != nil {
		t.Fatalf("getsockopt: %v", err)
	}
	var v int
	var gerr error
	if err := raw.Control(func(fd uintptr) { v, gerr = unix.GetsockoptInt(int(fd), level, opt) }); err != nil {
		t.Fatalf("getsockopt: %v", err)
	}
	if gerr != nil {
		t.Fatalf("getsockopt(%d, %d): %v", level, opt, gerr)
	}
	return v
}
