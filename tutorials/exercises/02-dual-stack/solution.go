//go:build solution

// Package dualstack listens for IPv4 and IPv6 clients on one socket.
package dualstack

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"syscall"

	"golang.org/x/sys/unix"
)

// Listen listens on port (0 picks one) for TCP clients of both address
// families on a single AF_INET6 socket.
func Listen(ctx context.Context, port int) (net.Listener, error) {
	lc := net.ListenConfig{
		// Control runs between socket(2) and bind(2), the only moment
		// IPV6_V6ONLY can still be changed.
		Control: func(network, address string, c syscall.RawConn) error {
			var serr error
			if err := c.Control(func(fd uintptr) {
				serr = unix.SetsockoptInt(int(fd), unix.IPPROTO_IPV6, unix.IPV6_V6ONLY, 0)
			}); err != nil {
				return err
			}
			if serr != nil {
				return fmt.Errorf("dualstack: clear IPV6_V6ONLY on %s: %w", address, serr)
			}
			return nil
		},
	}
	// "tcp6" forces an AF_INET6 socket; the wildcard [::] is the only
	// address IPv4 clients can also reach.
	ln, err := lc.Listen(ctx, "tcp6", fmt.Sprintf("[::]:%d", port))
	if err != nil {
		return nil, fmt.Errorf("dualstack: listen on port %d: %w", port, err)
	}
	return ln, nil
}

// Peer returns the remote address of c, with IPv4 clients shown as IPv4.
func Peer(c net.Conn) netip.AddrPort {
	ap := c.RemoteAddr().(*net.TCPAddr).AddrPort()
	return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
}
