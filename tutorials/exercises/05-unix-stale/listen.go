//go:build !solution

// Package stale listens on a UNIX socket path, cleaning up after a crashed
// server but never after a live one.
package stale

import (
	"errors"
	"net"
)

// ErrInUse reports that a server is listening on the path.
var ErrInUse = errors.New("another server is listening there")

// MaxPathLen is the longest path that fits in sun_path with its NUL.
const MaxPathLen = 107

// Listen listens on the UNIX stream socket at path, replacing a stale socket
// file.
func Listen(path string) (*net.UnixListener, error) {
	return nil, errors.ErrUnsupported // TODO
}
