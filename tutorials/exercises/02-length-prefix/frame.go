//go:build !solution

package frame

import (
	"context"
	"errors"
	"io"
	"net"
)

// WriteFrame writes msg to w, preceded by its length as 4 big-endian bytes.
func WriteFrame(w io.Writer, msg []byte) error {
	return errors.ErrUnsupported // TODO
}

// ReadFrame reads one message written by WriteFrame.
func ReadFrame(r io.Reader) ([]byte, error) {
	return nil, errors.ErrUnsupported // TODO
}

// Serve echoes every frame of every client until ctx ends.
func Serve(ctx context.Context, ln net.Listener) error {
	ln.Close()
	return errors.ErrUnsupported // TODO
}
