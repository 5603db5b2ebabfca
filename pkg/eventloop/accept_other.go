//go:build !linux

package eventloop

import (
	"net/netip"
)

// An acceptor accepts connections for a loop. Outside Linux it goes through
// Accept's portable path, whose address allocations only Linux's raw
// accept4 avoids.
type acceptor struct{}

// accept takes one pending connection from ln, non-blocking and
// close-on-exec, like Accept, but returns the raw errors (EAGAIN, EINTR,
// ECONNABORTED) for the caller to sort.
func (a *acceptor) accept(ln int) (int, netip.AddrPort, error) {
	fd, sa, err := accept(ln)
	if err != nil {
		return -1, netip.AddrPort{}, err
	}
	// Accept's net.TCPAddr holds IPv4 in 16 bytes; unmapped, it prints
	// as it does there.
	ap := tcpAddr(sa).AddrPort()
	return fd, netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port()), nil
}
