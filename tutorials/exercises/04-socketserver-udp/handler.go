// Package udpserver is a datagram server in the manner of Python's
// socketserver.ThreadingUDPServer: a handler per datagram, run concurrently.
package udpserver

import "net/netip"

// A Request is one datagram as the handler sees it.
type Request struct {
	From      netip.AddrPort // the sender
	Data      []byte         // the datagram, or its first bufSize bytes
	Truncated bool           // the datagram was longer than the buffer and was cut
}

// A Handler answers one datagram; a nil reply sends nothing.
type Handler func(req Request) (reply []byte)
