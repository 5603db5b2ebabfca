//go:build !solution

// Package udpserver is a datagram server in the manner of Python's
// socketserver.ThreadingUDPServer: a handler per datagram, run concurrently.
package udpserver

import (
	"context"
	"errors"
	"net"
	"net/netip"
)

// A Request is one datagram as the handler sees it.
type Request struct {
	From      netip.AddrPort // the sender
	Data      []byte         // the datagram, or its first bufSize bytes
	Truncated bool           // the datagram was longer than the buffer and was cut
}

// A Handler answers one datagram; a nil reply sends nothing.
type Handler func(req Request) (reply []byte)

// Serve reads datagrams from conn and hands each to h in its own goroutine,
// sending h's reply back to the sender, until ctx ends.
func Serve(ctx context.Context, conn *net.UDPConn, bufSize int, h Handler) error {
	return errors.ErrUnsupported // TODO: write me
}
