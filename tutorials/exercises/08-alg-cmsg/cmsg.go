//go:build !solution

// Package algcmsg builds the control messages that configure an AF_ALG cipher
// operation.
package algcmsg

import "errors"

// Control returns the SOL_ALG control messages for the first sendmsg of an
// operation: the direction, the IV when iv is not empty, and the length of
// the associated data when assocLen is positive.
func Control(op uint32, iv []byte, assocLen int) ([]byte, error) {
	return nil, errors.ErrUnsupported // TODO
}
