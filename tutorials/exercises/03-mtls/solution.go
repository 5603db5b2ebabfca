//go:build solution

// Package mtls is a TLS server that requires and verifies client certificates.
package mtls

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"time"
)

// ServerConfig returns a TLS 1.2+ server configuration presenting cert and
// requiring a client certificate signed by one of clients.
func ServerConfig(cert tls.Certificate, clients *x509.CertPool) *tls.Config {
	return &tls.Config{
		Certificates: []tls.Certificate{cert},
		ClientAuth:   tls.RequireAndVerifyClientCert,
		ClientCAs:    clients,
		MinVersion:   tls.VersionTLS12,
	}
}

// handshakeTimeout keeps a client that never finishes the handshake from
// holding the caller forever.
const handshakeTimeout = 10 * time.Second

// ClientName completes c's handshake and returns the common name of the
// client's verified certificate.
func ClientName(c *tls.Conn) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), handshakeTimeout)
	defer cancel()
	if err := c.HandshakeContext(ctx); err != nil {
		return "", fmt.Errorf("mtls: handshake with %s: %w", c.RemoteAddr(), err)
	}
	chains := c.ConnectionState().VerifiedChains
	if len(chains) == 0 || len(chains[0]) == 0 {
		return "", fmt.Errorf("mtls: %s presented no verified certificate", c.RemoteAddr())
	}
	return chains[0][0].Subject.CommonName, nil
}
