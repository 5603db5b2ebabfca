package udp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"
)

// A Sender sends a datagram to one address at once and then at every tick
// of an interval, like the cheat sheet's sendto-then-sleep loop.
type Sender struct {
	// To is the destination. It must be set.
	To net.Addr

	// Payload returns the datagram to send the seq-th time, counting from
	// 1. It must be set; see [Message] and [Timestamp].
	Payload func(seq int) []byte

	// Interval is the time between sends. It must be positive.
	Interval time.Duration

	// Count, if positive, stops the sender after that many datagrams;
	// zero sends until the context ends.
	Count int

	// Logger, if non-nil, records each datagram sent at Info level.
	Logger *slog.Logger
}

// Run sends datagrams from pc until ctx ends or Count datagrams are out,
// and returns nil then. It returns the first send error: UDP reports
// nothing about delivery, so an error here means the local socket refused
// the datagram (EACCES for a broadcast address without SO_BROADCAST, for
// example). Run does not close pc.
func (s *Sender) Run(ctx context.Context, pc net.PacketConn) error {
	switch {
	case pc == nil:
		return errors.New("udp: Sender.Run: nil PacketConn")
	case s.To == nil:
		return errors.New("udp: Sender.To: no destination address")
	case s.Payload == nil:
		return errors.New("udp: Sender.Payload: no payload function")
	case s.Interval <= 0:
		return fmt.Errorf("udp: Sender.Interval %v: must be positive", s.Interval)
	case s.Count < 0:
		return fmt.Errorf("udp: Sender.Count %d: must not be negative", s.Count)
	}
	tick := time.NewTicker(s.Interval)
	defer tick.Stop()
	for seq := 1; ctx.Err() == nil; seq++ {
		p := s.Payload(seq)
		if _, err := pc.WriteTo(p, s.To); err != nil {
			return fmt.Errorf("udp: send datagram %d to %s: %w", seq, s.To, err)
		}
		if s.Logger != nil {
			s.Logger.Info("sent", "seq", seq, "bytes", len(p), "to", s.To.String())
		}
		if seq == s.Count {
			return nil
		}
		select {
		case <-ctx.Done():
		case <-tick.C:
		}
	}
	return nil
}

// Message returns a payload function that sends msg every time. msg is
// copied, so the caller may reuse it.
func Message(msg []byte) func(seq int) []byte {
	msg = append([]byte(nil), msg...)
	return func(int) []byte { return msg }
}

// Timestamp returns a payload function that sends the current time as
// seconds since the Unix epoch with two decimals and a newline, as the
// cheat sheet's broadcaster does ("1431473025.72\n"). now supplies the
// time; nil means [time.Now].
func Timestamp(now func() time.Time) func(seq int) []byte {
	if now == nil {
		now = time.Now
	}
	return func(int) []byte {
		t := now()
		return fmt.Appendf(nil, "%d.%02d\n", t.Unix(), t.Nanosecond()/1e7)
	}
}
