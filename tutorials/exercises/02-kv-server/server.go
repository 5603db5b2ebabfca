//go:build !solution

package kvserver

import (
	"context"
	"log/slog"
	"net"

	"github.com/sockbook/sockbook/pkg/socketserver"
)

// ServeConn greets the client and answers its commands until it quits,
// breaks a rule of the protocol, goes away, or ctx ends.
func (h *Handler) ServeConn(ctx context.Context, conn net.Conn) {
	// TODO: write me
}

// NewServer returns a server that serves h to at most maxConns clients at
// once and logs to logger.
func NewServer(h socketserver.Handler, maxConns int, logger *slog.Logger) *socketserver.Server {
	return nil // TODO: write me
}
