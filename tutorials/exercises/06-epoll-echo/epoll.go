//go:build !solution

// Package epollecho is a TCP echo server driven by epoll(7) in one goroutine.
package epollecho

import (
	"context"
	"errors"
)

// Serve echoes for every client of the non-blocking listening socket ln until
// ctx ends. It does not close ln.
func Serve(ctx context.Context, ln int) error {
	return errors.ErrUnsupported // TODO
}
