// Package stale listens on a UNIX socket path, cleaning up after a crashed
// server but never after a live one.
package stale

import "errors"

// ErrInUse reports that a server is listening on the path.
var ErrInUse = errors.New("another server is listening there")

// MaxPathLen is the longest path that fits in sun_path with its NUL.
const MaxPathLen = 107
