// Package socketserver is a small framework for network servers in the
// spirit of Python's socketserver module: you write a handler for one
// connection (or one datagram) and a server runs it for every client until
// its context ends.
//
// It covers the recipes socketserver-tcp and socketserver-udp.
//
// Python's TCPServer runs handle() for one client at a time unless a
// ThreadingMixIn is added; Server serves each connection in its own
// goroutine, which is what the mix-in approximates with threads. Go's net
// package already does what socketserver's base classes do by hand
// (address reuse, accept, the request loop), so this package is mostly
// about the parts that are easy to get wrong: stopping cleanly, waiting for
// handlers, surviving accept errors and panicking handlers, and bounding
// the number of clients served at once.
//
// # The server lifecycle
//
// Every stream server in sockbook, from this package's Server to the raw
// event loops of packages eventloop and selectors, has the same shape,
// described here once:
//
//   - A Server is a struct configured by its exported fields. Its zero
//     value is useful; a nil Logger (*slog.Logger) discards the log.
//   - Serve(ctx context.Context, ln net.Listener) error serves every
//     client ln accepts until ctx ends, and takes ownership of ln.
//   - When ctx ends, Serve stops accepting, closes ln, lets each client
//     finish (what a client already sent is echoed, within a grace
//     period or drain timeout), closes every client and returns nil. A
//     non-nil error means the server could not start, or its accept loop
//     or readiness wait failed; a failing client is logged and closed, and
//     the others are served on.
//
// The goroutine-per-client servers (tcpecho, threadserver, unixecho,
// tlsecho) are this package's Server with their own Handler. The event
// loops (eventloop.Server, selectors.EchoServer, selectors.TLSEchoServer)
// take the descriptor of the listener and wait with package poller. All of
// them pass the same reliability suite, internal/echotest.
package socketserver
