//go:build !linux

package eventloop

import "golang.org/x/sys/unix"

// rawRead and rawWrite are unix.Read and unix.Write here: on the BSDs and
// macOS system calls go through the C library, which RawSyscall bypasses.
func rawRead(fd int, buf []byte) (int, error) { return unix.Read(fd, buf) }

func rawWrite(fd int, p []byte) (int, error) { return unix.Write(fd, p) }
