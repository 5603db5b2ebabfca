//go:build !solution

// Package kvserver is a key-value service with a line protocol, served by
// socketserver.Server, the Go counterpart of Python's ThreadingTCPServer.
package kvserver

import (
	"context"
	"log/slog"
	"net"

	"github.com/sockbook/sockbook/pkg/socketserver"
)

// MaxLine is the longest command line, in bytes, without its line end.
const MaxLine = 1024

// Handler serves the line protocol on one connection, over Store.
type Handler struct {
	Store *Store
}

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
