package socketserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"syscall"
)

// A PacketHandler serves one datagram. data is only valid until
// ServePacket returns. Replies go out through pc to from, as Python's
// handlers call sendto on the server's socket.
type PacketHandler interface {
	ServePacket(ctx context.Context, pc net.PacketConn, data []byte, from net.Addr)
}

// PacketHandlerFunc adapts an ordinary function to the PacketHandler
// interface.
type PacketHandlerFunc func(ctx context.Context, pc net.PacketConn, data []byte, from net.Addr)

// ServePacket calls f(ctx, pc, data, from).
func (f PacketHandlerFunc) ServePacket(ctx context.Context, pc net.PacketConn, data []byte, from net.Addr) {
	f(ctx, pc, data, from)
}

// MaxDatagram is the largest UDP payload over IPv4: 65535 bytes less the
// 8-byte UDP header and the 20-byte IP header. A smaller read buffer would
// silently truncate larger datagrams.
const MaxDatagram = 65507

// PacketServer runs a PacketHandler for every datagram that arrives on a
// packet connection, one at a time, like Python's UDPServer.
type PacketServer struct {
	// Handler serves each datagram. It must be set.
	Handler PacketHandler

	// BufferSize is the read buffer's size; 0 means MaxDatagram. Datagrams
	// longer than the buffer are truncated by the kernel.
	BufferSize int

	// Logger receives errors that do not stop the server. Nil discards them.
	Logger *slog.Logger
}

// Serve reads datagrams from pc and hands each to the handler until ctx
// ends; it then closes pc and returns nil. Serve takes ownership of pc.
//
// A read that fails because an earlier reply was refused (an ICMP port
// unreachable reported as ECONNREFUSED) is logged and the loop goes on: one
// vanished client must not stop the server. Other read errors are returned.
func (s *PacketServer) Serve(ctx context.Context, pc net.PacketConn) error {
	if s.Handler == nil {
		pc.Close()
		return errors.New("socketserver: PacketServer.Handler is nil")
	}
	stop := context.AfterFunc(ctx, func() { pc.Close() })
	defer stop()
	defer pc.Close()

	size := s.BufferSize
	if size <= 0 {
		size = MaxDatagram
	}
	buf := make([]byte, size)
	for {
		n, from, err := pc.ReadFrom(buf)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if errors.Is(err, syscall.ECONNREFUSED) {
				s.logger().Warn("a previous reply was refused", "err", err)
				continue
			}
			return fmt.Errorf("socketserver: read from %s: %w", pc.LocalAddr(), err)
		}
		s.servePacket(ctx, pc, buf[:n], from)
	}
}

func (s *PacketServer) servePacket(ctx context.Context, pc net.PacketConn, data []byte, from net.Addr) {
	defer containPanic(s.Logger, from)
	s.Handler.ServePacket(ctx, pc, data, from)
}

func (s *PacketServer) logger() *slog.Logger { return orDiscard(s.Logger) }
