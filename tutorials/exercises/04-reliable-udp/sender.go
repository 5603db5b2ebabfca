//go:build !solution

package reliable

import (
	"context"
	"errors"
	"net"
)

// Send delivers msgs in order over conn, which is connected to the receiver.
func Send(ctx context.Context, conn *net.UDPConn, msgs [][]byte, opts Options) error {
	return errors.ErrUnsupported // TODO
}
