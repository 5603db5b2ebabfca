//go:build solution

package udpserver

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"syscall"
	"time"
)

// Serve reads datagrams from conn and hands each to h in its own goroutine,
// sending h's reply back to the sender, until ctx ends.
func Serve(ctx context.Context, conn *net.UDPConn, bufSize int, h Handler) error {
	if bufSize <= 0 {
		return fmt.Errorf("udpserver: serve on %s: buffer size %d, want > 0", conn.LocalAddr(), bufSize)
	}
	// A read blocked without a deadline wakes when the deadline moves into
	// the past; restore "no deadline" for the caller afterwards.
	stop := context.AfterFunc(ctx, func() { conn.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()
	defer conn.SetReadDeadline(time.Time{})
	var wg sync.WaitGroup
	defer wg.Wait()
	buf := make([]byte, bufSize)
	for {
		n, _, flags, from, err := conn.ReadMsgUDPAddrPort(buf, nil)
		if err != nil {
			if ctx.Err() != nil && errors.Is(err, os.ErrDeadlineExceeded) {
				return nil
			}
			return fmt.Errorf("udpserver: read on %s: %w", conn.LocalAddr(), err)
		}
		req := Request{From: from, Data: append([]byte(nil), buf[:n]...), Truncated: flags&syscall.MSG_TRUNC != 0}
		wg.Go(func() {
			if reply := h(req); reply != nil {
				// A reply that cannot be sent (the sender is gone) is
				// that client's loss, not a reason to stop serving.
				conn.WriteToUDPAddrPort(reply, req.From)
			}
		})
	}
}
