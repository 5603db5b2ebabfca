//go:build !solution

// Package selectorecho is an echo server whose loop knows nothing but a
// Selector: every registration carries, as its data, the handler to call.
package selectorecho

import (
	"context"
	"errors"

	"github.com/sockbook/sockbook/pkg/selectors"
)

// MaxPending is how many bytes a client may have sent and not yet had back
// before the server stops reading from it.
const MaxPending = 64 << 10

// Serve echoes every client that connects to the non-blocking listening
// socket lfd, with sel as its only way of waiting, until ctx ends. Then it
// closes every client, unregisters lfd (which it does not close) and
// returns nil.
func Serve(ctx context.Context, sel selectors.Selector, lfd int) error {
	return errors.ErrUnsupported // TODO
}
