//go:build !solution

// Package pin is a TLS client that trusts exactly one certificate, identified
// by its SHA-256 fingerprint.
package pin

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
)

// ErrPinMismatch reports that the server's certificate is not the pinned one.
var ErrPinMismatch = errors.New("certificate does not match the pin")

// Fingerprint returns the SHA-256 digest of cert's DER encoding.
func Fingerprint(cert *x509.Certificate) [32]byte {
	return [32]byte{} // TODO
}

// Dial connects to addr with TLS and succeeds only if the server's
// certificate has fingerprint pin.
func Dial(ctx context.Context, addr string, pin [32]byte) (*tls.Conn, error) {
	return nil, errors.ErrUnsupported // TODO
}
