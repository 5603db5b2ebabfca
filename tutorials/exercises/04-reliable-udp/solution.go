//go:build solution

package reliable

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"time"
)

// Send delivers msgs in order over conn, which is connected to the receiver.
func Send(ctx context.Context, conn *net.UDPConn, msgs [][]byte, opts Options) error {
	defer conn.SetReadDeadline(time.Time{})
	for i, msg := range msgs {
		seq := uint32(i)
		pkt := binary.BigEndian.AppendUint32(make([]byte, 0, 4+len(msg)), seq)
		pkt = append(pkt, msg...)
		acked := false
		for try := 0; try <= opts.Retries && !acked; try++ {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("reliable: message %d: %w", seq, err)
			}
			if _, err := conn.Write(pkt); err != nil && !errors.Is(err, syscall.ECONNREFUSED) {
				return fmt.Errorf("reliable: send message %d: %w", seq, err)
			}
			var err error
			acked, err = awaitAck(ctx, conn, seq, opts.Timeout)
			if err != nil {
				return err
			}
		}
		if !acked {
			return fmt.Errorf("reliable: message %d after %d retries: %w", seq, opts.Retries, ErrNoAck)
		}
	}
	return nil
}

// awaitAck reads until the acknowledgement of seq arrives or timeout passes.
func awaitAck(ctx context.Context, conn *net.UDPConn, seq uint32, timeout time.Duration) (bool, error) {
	deadline := time.Now().Add(timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	conn.SetReadDeadline(deadline)
	// A context without a deadline can still be cancelled: move the read
	// deadline into the past then, so a blocked Read returns at once.
	stop := context.AfterFunc(ctx, func() { conn.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()
	buf := make([]byte, 64)
	for {
		n, err := conn.Read(buf)
		switch {
		case errors.Is(err, os.ErrDeadlineExceeded):
			if err := ctx.Err(); err != nil {
				return false, fmt.Errorf("reliable: waiting for ack %d: %w", seq, err)
			}
			// The read deadline can fire a moment before the context's
			// own timer does; without this check every retry after it
			// would time out at once and the retries run out first.
			if d, ok := ctx.Deadline(); ok && !time.Now().Before(d) {
				return false, fmt.Errorf("reliable: waiting for ack %d: %w", seq, context.DeadlineExceeded)
			}
			return false, nil
		case errors.Is(err, syscall.ECONNREFUSED):
			// Nobody listens (yet): as good as a lost datagram.
			continue
		case err != nil:
			return false, fmt.Errorf("reliable: waiting for ack %d: %w", seq, err)
		}
		if n == 4 && binary.BigEndian.Uint32(buf) == seq {
			return true, nil
		}
		// A stale duplicate or a malformed datagram: keep waiting.
	}
}
