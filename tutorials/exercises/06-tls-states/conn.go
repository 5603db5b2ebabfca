//go:build !solution

// Package tlsstates drives crypto/tls over a non-blocking socket, and
// records when TLS had to wait for the socket to be readable or writable:
// the states OpenSSL reports as SSL_ERROR_WANT_READ and WANT_WRITE.
package tlsstates

import (
	"errors"
	"net"
	"time"
)

// A State is why a TLS connection had to wait for its socket.
type State int

// The states, as Python's ssl.SSLWantReadError and SSLWantWriteError.
const (
	WantRead  State = iota + 1 // a read found no data (EAGAIN)
	WantWrite                  // a write found the send buffer full (EAGAIN)
)

func (s State) String() string {
	switch s {
	case WantRead:
		return "want-read"
	case WantWrite:
		return "want-write"
	}
	return "State(?)"
}

// Conn is a net.Conn over a non-blocking socket, for tls.Client and
// tls.Server: where a read or write would block it records the State,
// waits with poll(2) and tries again.
type Conn struct {
	// TODO: the descriptor, the addresses, the deadlines, the states seen.
}

// NewConn returns a Conn for the connected non-blocking socket fd, which
// it owns from now on.
func NewConn(fd int) (*Conn, error) {
	return nil, errors.ErrUnsupported // TODO
}

// States returns the States met so far, in order; it is safe to call at
// any time, from any goroutine.
func (c *Conn) States() []State { return nil } // TODO

func (c *Conn) Read(p []byte) (int, error)         { return 0, errors.ErrUnsupported } // TODO
func (c *Conn) Write(p []byte) (int, error)        { return 0, errors.ErrUnsupported } // TODO
func (c *Conn) Close() error                       { return errors.ErrUnsupported }    // TODO
func (c *Conn) LocalAddr() net.Addr                { return nil }                      // TODO
func (c *Conn) RemoteAddr() net.Addr               { return nil }                      // TODO
func (c *Conn) SetDeadline(t time.Time) error      { return errors.ErrUnsupported }    // TODO
func (c *Conn) SetReadDeadline(t time.Time) error  { return errors.ErrUnsupported }    // TODO
func (c *Conn) SetWriteDeadline(t time.Time) error { return errors.ErrUnsupported }    // TODO
