//go:build !solution

// Package writeall writes a whole buffer to a non-blocking socket.
package writeall

import (
	"errors"
	"time"
)

// WriteAll writes all of p to the non-blocking descriptor fd, waiting with
// poll(2) whenever the socket's send buffer is full.
func WriteAll(fd int, p []byte, timeout time.Duration) (int, error) {
	return 0, errors.ErrUnsupported // TODO
}
