//go:build !solution

// Package reliable sends datagrams over UDP with stop-and-wait: each carries a
// sequence number and is sent again until the receiver acknowledges it.
package reliable

import (
	"context"
	"errors"
	"net"
	"time"
)

// ErrNoAck reports that a message was not acknowledged after every retry.
var ErrNoAck = errors.New("no acknowledgement")

// Options tunes Send.
type Options struct {
	Timeout time.Duration // how long to wait for each acknowledgement
	Retries int           // how many times a message is sent again
}

// Send delivers msgs in order over conn, which is connected to the receiver.
func Send(ctx context.Context, conn *net.UDPConn, msgs [][]byte, opts Options) error {
	return errors.ErrUnsupported // TODO
}
