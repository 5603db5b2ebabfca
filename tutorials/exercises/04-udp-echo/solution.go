//go:build solution

// Package udpecho is a UDP echo server.
package udpecho

import (
	"context"
	"fmt"
	"net"
	"time"
)

// maxDatagram is the largest UDP payload over IPv4: 65535 bytes minus the
// 8-byte UDP header and the 20-byte IP header. One more byte of buffer lets a
// read tell a full-size datagram from a truncated larger one (IPv6 jumbograms).
const maxDatagram = 65507

// Serve echoes every datagram that arrives on pc back to its sender until ctx
// ends.
func Serve(ctx context.Context, pc net.PacketConn) error {
	stop := context.AfterFunc(ctx, func() {
		// A deadline in the past makes the pending ReadFrom return now.
		pc.SetReadDeadline(time.Unix(1, 0))
	})
	defer stop()

	buf := make([]byte, maxDatagram+1)
	for {
		n, addr, err := pc.ReadFrom(buf)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("udpecho: read on %s: %w", pc.LocalAddr(), err)
		}
		// A failed send concerns one client only: the others carry on.
		_, _ = pc.WriteTo(buf[:n], addr)
	}
}
