// Package pin is a TLS client that trusts exactly one certificate, identified
// by its SHA-256 fingerprint.
package pin

import "errors"

// ErrPinMismatch reports that the server's certificate is not the pinned one.
var ErrPinMismatch = errors.New("certificate does not match the pin")
