//go:build !solution

package selectorecho

import (
	"context"
	"errors"

	"github.com/sockbook/sockbook/pkg/selectors"
)

// Serve echoes every client that connects to the non-blocking listening
// socket lfd, with sel as its only way of waiting, until ctx ends. Then it
// closes every client, unregisters lfd (which it does not close) and
// returns nil.
func Serve(ctx context.Context, sel selectors.Selector, lfd int) error {
	return errors.ErrUnsupported // TODO
}
