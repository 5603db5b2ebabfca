package eventloop

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// read and write are read(2) and write(2) made without telling the Go
// scheduler. unix.Read and unix.Write go through entersyscall and
// exitsyscall, so that the runtime can hand this thread's processor to
// other goroutines while a call blocks. A call on a non-blocking
// descriptor never blocks, so that hand-off buys nothing here, and
// profiling the epoll echo server with perf put about a third of its user
// time in it (tools/bench/results/echo.md has the effect on user CPU per
// echo). The descriptors of this package are always non-blocking.
func read(fd int, buf []byte) (int, error) {
	n, _, errno := unix.RawSyscall(unix.SYS_READ, uintptr(fd), uintptr(unsafe.Pointer(unsafe.SliceData(buf))), uintptr(len(buf)))
	if errno != 0 {
		return 0, errno
	}
	return int(n), nil
}

func write(fd int, p []byte) (int, error) {
	n, _, errno := unix.RawSyscall(unix.SYS_WRITE, uintptr(fd), uintptr(unsafe.Pointer(unsafe.SliceData(p))), uintptr(len(p)))
	if errno != 0 {
		return 0, errno
	}
	return int(n), nil
}
