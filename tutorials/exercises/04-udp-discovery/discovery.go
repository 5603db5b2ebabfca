//go:build !solution

package discovery

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"time"
)

// EnableBroadcast sets SO_BROADCAST on c, so that c may send to a broadcast
// address.
func EnableBroadcast(c *net.UDPConn) error {
	return errors.ErrUnsupported // TODO: write me
}

// ListenResponder opens the socket a responder reads queries from: UDP over
// IPv4 on port, reachable by broadcasts, and shareable by several responders
// on one machine.
func ListenResponder(ctx context.Context, port int) (*net.UDPConn, error) {
	return nil, errors.ErrUnsupported // TODO: write me
}

// Respond answers every Query that arrives on c with "HERE " and name, sent
// to the query's sender alone, until ctx ends.
func Respond(ctx context.Context, c *net.UDPConn, name string) error {
	return errors.ErrUnsupported // TODO: write me
}

// Discover broadcasts Query from c to to, collects the answers that arrive
// within wait and returns each distinct one, sorted by name, then address.
func Discover(ctx context.Context, c *net.UDPConn, to netip.AddrPort, wait time.Duration) ([]Peer, error) {
	return nil, errors.ErrUnsupported // TODO: write me
}
