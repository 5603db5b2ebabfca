//go:build !solution

package pin

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
)

// Fingerprint returns the SHA-256 digest of cert's DER encoding.
func Fingerprint(cert *x509.Certificate) [32]byte {
	return [32]byte{} // TODO
}

// Dial connects to addr with TLS and succeeds only if the server's
// certificate has fingerprint pin.
func Dial(ctx context.Context, addr string, pin [32]byte) (*tls.Conn, error) {
	return nil, errors.ErrUnsupported // TODO
}
