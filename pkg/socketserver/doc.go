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
package socketserver
