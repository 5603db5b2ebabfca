package eventloop

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// rawRead and rawWrite are read(2) and write(2) made without telling the
// Go scheduler. unix.Read and unix.Write go through entersyscall and
// exitsyscall, so that the runtime can hand this thread's processor to
// other goroutines while a call blocks; profiling the epoll echo server
// with perf put about a third of its user time in that hand-off
// (tools/bench/results/echo.md has the effect on user CPU per echo).
//
// They are only for descriptors known to be non-blocking: those of the
// clients the loop accepted itself with SOCK_NONBLOCK. A call that
// blocked here would hold its processor, and stall the garbage
// collector's stop-the-world, until it returned. ReadSome, WriteSome and
// a Conn from NewConn, which take a caller's descriptor, keep unix.Read
// and unix.Write.
func rawRead(fd int, buf []byte) (int, error) {
	n, _, errno := unix.RawSyscall(unix.SYS_READ, uintptr(fd), uintptr(unsafe.Pointer(unsafe.SliceData(buf))), uintptr(len(buf)))
	if errno != 0 {
		return 0, errno
	}
	return int(n), nil
}

func rawWrite(fd int, p []byte) (int, error) {
	n, _, errno := unix.RawSyscall(unix.SYS_WRITE, uintptr(fd), uintptr(unsafe.Pointer(unsafe.SliceData(p))), uintptr(len(p)))
	if errno != 0 {
		return 0, errno
	}
	return int(n), nil
}
