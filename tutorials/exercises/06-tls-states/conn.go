//go:build !solution

package tlsstates

import (
	"errors"
	"net"
	"time"
)

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
