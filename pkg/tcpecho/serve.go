package tcpecho

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"time"

	"github.com/sockbook/sockbook/pkg/echo"
	"github.com/sockbook/sockbook/pkg/socketserver"
)

// Server is a TCP echo server. Its zero value echoes with no idle timeout
// and logs nothing. Its lifecycle is socketserver.Server's.
type Server struct {
	// IdleTimeout closes a client that sends nothing for this long.
	IdleTimeout time.Duration

	// OnConnect, if set, is called with each client's address as the server
	// sees it, before echoing starts: for an IPv4 client of a dual-stack
	// server that is an IPv4-mapped IPv6 address.
	OnConnect func(peer netip.AddrPort)

	// Logger receives a line per connection. Nil discards them.
	Logger *slog.Logger
}

// Serve echoes every connection ln accepts, each in its own goroutine,
// until ctx ends, then stops as socketserver.Server.Serve does.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	h := &echo.Handler{IdleTimeout: s.IdleTimeout, Logger: s.Logger}
	srv := &socketserver.Server{
		Logger: s.Logger,
		Handler: socketserver.HandlerFunc(func(ctx context.Context, conn net.Conn) {
			if s.OnConnect != nil {
				s.OnConnect(Peer(conn))
			}
			if s.Logger != nil {
				s.Logger.Info("accepted", "peer", FormatPeer(Peer(conn)))
			}
			h.ServeConn(ctx, conn)
		}),
	}
	return srv.Serve(ctx, ln)
}

// Peer returns the remote address of a TCP connection exactly as the
// kernel reported it. Unlike conn.RemoteAddr().String(), which prints an
// IPv4-mapped address in its IPv4 form, it keeps ::ffff:127.0.0.1 as such.
// It returns the zero AddrPort for other kinds of connection.
func Peer(conn net.Conn) netip.AddrPort {
	if a, ok := conn.RemoteAddr().(*net.TCPAddr); ok {
		return a.AddrPort()
	}
	return netip.AddrPort{}
}

// FormatPeer formats an address like Python's getpeername(): a 2-tuple
// (host, port) for IPv4 and a 4-tuple (host, port, flowinfo, scope_id) for
// IPv6, where the scope id is the zone's interface index. Go does not
// expose flowinfo, which is 0 unless a peer sets a flow label.
func FormatPeer(p netip.AddrPort) string {
	a := p.Addr()
	if a.Is4() {
		return fmt.Sprintf("('%s', %d)", a, p.Port())
	}
	scope := 0
	if zone := a.Zone(); zone != "" {
		if ifi, err := net.InterfaceByName(zone); err == nil {
			scope = ifi.Index
		} else if n, err := fmt.Sscanf(zone, "%d", &scope); n != 1 || err != nil {
			scope = 0
		}
	}
	return fmt.Sprintf("('%s', %d, 0, %d)", a, p.Port(), scope)
}
