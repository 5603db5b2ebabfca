// Package chat is the course's capstone: a multi-room chat server over TLS,
// with an administration console on a UNIX socket and a graceful shutdown.
// The protocol is described in README.md.
package chat

import (
	"crypto/tls"
	"time"
)

// Limits of the protocol.
const (
	MaxLine  = 1024 // bytes in one line, newline excluded
	QueueLen = 256  // lines waiting for a slow client before it is dropped
)

// ShutdownNotice is the line every client receives when the server stops.
const ShutdownNotice = "* server shutting down"

// Server is a chat server. Set TLS and AdminPath, then call Serve.
type Server struct {
	// TLS is the configuration clients are served with; it needs a
	// certificate.
	TLS *tls.Config

	// AdminPath is where the administration console listens, a UNIX
	// socket path.
	AdminPath string

	// HandshakeTimeout bounds each client's TLS handshake; zero means 5s.
	HandshakeTimeout time.Duration
}
