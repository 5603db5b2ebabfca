//go:build !solution

package stale

import (
	"errors"
	"net"
)

// Listen listens on the UNIX stream socket at path, replacing a stale socket
// file.
func Listen(path string) (*net.UnixListener, error) {
	return nil, errors.ErrUnsupported // TODO
}
