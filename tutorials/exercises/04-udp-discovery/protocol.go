// Package discovery finds services on a local network by broadcast: a client
// asks everyone at once, and each responder answers it alone.
package discovery

import "net/netip"

// Query is the datagram a client broadcasts; a responder answers exactly
// this, and nothing else.
const Query = "DISCOVER"

// A Peer is one answer to a query: where it came from and the name it gave.
type Peer struct {
	Addr netip.AddrPort
	Name string
}
