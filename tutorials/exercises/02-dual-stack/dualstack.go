//go:build !solution

// Package dualstack listens for IPv4 and IPv6 clients on one socket.
package dualstack

import (
	"context"
	"fmt"
	"net"
	"net/netip"
)

// Listen listens on port (0 picks one) for TCP clients of both address
// families on a single AF_INET6 socket.
func Listen(ctx context.Context, port int) (net.Listener, error) {
	var lc net.ListenConfig
	return lc.Listen(ctx, "tcp6", fmt.Sprintf("[::1]:%d", port))
}

// Peer returns the remote address of c, with IPv4 clients shown as IPv4.
func Peer(c net.Conn) netip.AddrPort {
	return c.RemoteAddr().(*net.TCPAddr).AddrPort()
}
