//go:build !linux

package eventloop

import "golang.org/x/sys/unix"

// read and write are unix.Read and unix.Write here: on the BSDs and macOS
// system calls go through the C library, which RawSyscall does not.
func read(fd int, buf []byte) (int, error) { return unix.Read(fd, buf) }

func write(fd int, p []byte) (int, error) { return unix.Write(fd, p) }
