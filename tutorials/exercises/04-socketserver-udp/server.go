//go:build !solution

package udpserver

import (
	"context"
	"errors"
	"net"
)

// Serve reads datagrams from conn and hands each to h in its own goroutine,
// sending h's reply back to the sender, until ctx ends.
func Serve(ctx context.Context, conn *net.UDPConn, bufSize int, h Handler) error {
	return errors.ErrUnsupported // TODO: write me
}
