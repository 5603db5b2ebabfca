//go:build !solution

// Package mtls is a TLS server that requires and verifies client certificates.
package mtls

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
)

// ServerConfig returns a TLS 1.2+ server configuration presenting cert and
// requiring a client certificate signed by one of clients.
func ServerConfig(cert tls.Certificate, clients *x509.CertPool) *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{cert}} // TODO
}

// ClientName completes c's handshake and returns the common name of the
// client's verified certificate.
func ClientName(c *tls.Conn) (string, error) {
	return "", errors.ErrUnsupported // TODO
}
