//go:build solution

// Package resume sends the rest of a file over TCP with sendfile(2), starting
// at an offset.
package resume

import (
	"fmt"
	"net"
	"os"

	"golang.org/x/sys/unix"
)

// maxChunk keeps each call within what Linux's sendfile moves at once
// (0x7ffff000 bytes) anyway.
const maxChunk = 1 << 30

// SendFrom sends f's bytes from offset to the end over conn.
func SendFrom(conn *net.TCPConn, f *os.File, offset int64) (int64, error) {
	fi, err := f.Stat()
	if err != nil {
		return 0, fmt.Errorf("resume: stat %s: %w", f.Name(), err)
	}
	size := fi.Size()
	if offset < 0 || offset > size {
		return 0, fmt.Errorf("resume: offset %d outside %s (size %d)", offset, f.Name(), size)
	}
	raw, err := conn.SyscallConn()
	if err != nil {
		return 0, fmt.Errorf("resume: %w", err)
	}
	in := int(f.Fd()) // a regular file: blocking mode is what it has anyway
	pos := offset
	var serr error
	err = raw.Write(func(out uintptr) bool {
		for pos < size {
			_, serr = unix.Sendfile(int(out), in, &pos, int(min(size-pos, maxChunk)))
			switch serr {
			case nil, unix.EINTR:
				continue
			case unix.EAGAIN:
				serr = nil
				return false // socket buffer full: wait for writability
			}
			return true
		}
		return true
	})
	sent := pos - offset
	if err == nil {
		err = serr
	}
	if err != nil {
		return sent, fmt.Errorf("resume: sendfile %s from %d after %d bytes: %w", f.Name(), offset, sent, err)
	}
	return sent, nil
}
