package sniff

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// A Sniffer reads copies of packets from a raw socket. Make one with
// [ListenIP] or [ListenLink].
//
// ReadPacket must not be called by two goroutines at once; Close may be
// called at any time.
type Sniffer struct {
	f  *os.File
	rc syscall.RawConn
}

// ReadPacket waits for the next packet and copies it into b, returning its
// length. A packet longer than b is cut to len(b); 65535 bytes hold any
// IPv4 packet. When ctx ends first, ReadPacket returns ctx.Err().
func (s *Sniffer) ReadPacket(ctx context.Context, b []byte) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if err := s.f.SetReadDeadline(time.Time{}); err != nil {
		return 0, fmt.Errorf("sniff: read: %w", err)
	}
	// A deadline in the past wakes a parked read at once: that is how the
	// context's end reaches it.
	woken := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		s.f.SetReadDeadline(time.Unix(1, 0))
		close(woken)
	})
	defer func() {
		// Once started, the wakeup must finish before the next call clears
		// the deadline, or it could cut that call short.
		if !stop() {
			<-woken
		}
	}()

	var n int
	var rerr error
	err := s.rc.Read(func(fd uintptr) bool {
		for {
			n, _, rerr = unix.Recvfrom(int(fd), b, 0)
			if rerr != unix.EINTR {
				break
			}
		}
		return rerr != unix.EAGAIN // false: wait until readable, then retry
	})
	switch {
	case err == nil && rerr == nil:
		return n, nil
	case err == nil:
		return 0, fmt.Errorf("sniff: read: %w", rerr)
	case errors.Is(err, os.ErrDeadlineExceeded) && ctx.Err() != nil:
		return 0, ctx.Err()
	}
	// The poller fails a read only for a deadline or a close, and only
	// ctx sets deadlines.
	return 0, fmt.Errorf("sniff: read: %w (%v)", os.ErrClosed, err)
}

// Close closes the socket. A ReadPacket in progress returns an error
// matching os.ErrClosed.
func (s *Sniffer) Close() error {
	return s.f.Close()
}
