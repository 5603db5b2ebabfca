package udp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"syscall"
	"time"
)

// BufferSize is the size of the echo server's read buffer: 64 KiB, more
// than the largest UDP payload (65,507 bytes over IPv4, 65,527 over IPv6),
// so no datagram is ever truncated.
const BufferSize = 64 << 10

// An EchoServer sends every datagram it receives back to its sender, like
// the cheat sheet's recvfrom/sendto loop. The zero value is ready to use.
type EchoServer struct {
	// Logger, if non-nil, records each echo at Info level and, at Warn
	// level, the errors the server survives.
	Logger *slog.Logger
}

// Serve echoes datagrams arriving on pc until ctx ends, then closes pc and
// returns nil. Serve takes ownership of pc. A datagram that has already
// been read when ctx ends is still echoed.
//
// Errors caused by one peer (ECONNREFUSED from an earlier ICMP "port
// unreachable", a failed reply) do not stop the server; any other read
// error does, and is returned.
func (s *EchoServer) Serve(ctx context.Context, pc net.PacketConn) error {
	if pc == nil {
		return errors.New("udp: EchoServer.Serve: nil PacketConn")
	}
	defer pc.Close()
	// A read deadline in the past wakes a blocked ReadFrom without closing
	// the socket, so the loop can finish the reply it may be sending.
	stop := context.AfterFunc(ctx, func() { _ = pc.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()

	buf := make([]byte, BufferSize)
	for {
		n, from, err := pc.ReadFrom(buf)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if peerError(err) {
				s.warn("read", err)
				continue
			}
			return fmt.Errorf("udp: echo server on %s: %w", pc.LocalAddr(), err)
		}
		if _, err := pc.WriteTo(buf[:n], from); err != nil {
			if errors.Is(err, net.ErrClosed) {
				return fmt.Errorf("udp: echo server on %s: %w", pc.LocalAddr(), err)
			}
			s.warn("reply to "+from.String(), err)
			continue
		}
		if s.Logger != nil {
			s.Logger.Info("echoed", "bytes", n, "to", from.String())
		}
	}
}

func (s *EchoServer) warn(op string, err error) {
	if s.Logger != nil {
		s.Logger.Warn("udp echo: "+op+" failed; still serving", "err", err)
	}
}

// peerError reports whether err is one of the errors Linux turns ICMP
// messages into — news about one peer or the path to it, queued on the
// socket by an earlier send — rather than a fault of the socket itself.
func peerError(err error) bool {
	for _, errno := range []syscall.Errno{
		syscall.ECONNREFUSED, // port unreachable
		syscall.EHOSTUNREACH, syscall.ENETUNREACH, syscall.EHOSTDOWN,
		syscall.ENOPROTOOPT, // protocol unreachable
		syscall.EMSGSIZE,    // fragmentation needed
		syscall.EOPNOTSUPP,  // source route failed
		syscall.EPROTO,      // parameter problem
		syscall.ECONNRESET,
	} {
		if errors.Is(err, errno) {
			return true
		}
	}
	return hostIsolated(err)
}
