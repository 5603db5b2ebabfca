package tlsecho

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/tls"
	"errors"
	"fmt"
	"strings"
)

// Config is a TLS echo server's TLS policy in the terms of the recipes: a
// certificate, the lowest protocol version, and optionally the cipher
// suites. TLSConfig turns it into a tls.Config, refusing combinations that
// could never complete a handshake.
type Config struct {
	// Certificates are the server's certificate chains; at least one is
	// required.
	Certificates []tls.Certificate

	// MinVersion is the lowest protocol version accepted, such as
	// tls.VersionTLS12. Zero means TLS 1.2.
	MinVersion uint16

	// AllowLegacyTLS10 must be set for a MinVersion of TLS 1.0 or 1.1,
	// versions RFC 8996 deprecates. The cheat sheet's ssl.PROTOCOL_TLSv1
	// needs it.
	AllowLegacyTLS10 bool

	// Ciphers, when not empty, is the list of cipher suites to accept, as
	// ParseCiphers reads it. Empty means Go's defaults. Go's TLS 1.3 suites
	// cannot be chosen, and tls.Config.CipherSuites applies only below TLS
	// 1.3, so TLSConfig also sets MaxVersion to TLS 1.2 when Ciphers is set:
	// without that cap a TLS 1.3 client would never meet the list.
	Ciphers string
}

// TLSConfig returns the tls.Config for a server with c's policy. When
// Ciphers is set, the result has MaxVersion tls.VersionTLS12 as well as
// CipherSuites (see Config.Ciphers).
//
// It returns an error naming the input when there is no certificate, when
// MinVersion is not a TLS version, below TLS 1.2 without AllowLegacyTLS10,
// when Ciphers does not parse, or when none of the chosen suites can be
// used with any certificate: an ECDSA suite needs an ECDSA key and an RSA
// suite an RSA key. That last check is made here rather than left to the
// handshake, where it would only show as "no cipher suite supported by
// both client and server" on every connection.
func (c *Config) TLSConfig() (*tls.Config, error) {
	if len(c.Certificates) == 0 {
		return nil, errors.New("tlsecho: config: no certificate")
	}
	minV := c.MinVersion
	switch minV {
	case 0:
		minV = tls.VersionTLS12
	case tls.VersionTLS12, tls.VersionTLS13:
	case tls.VersionTLS10, tls.VersionTLS11:
		if !c.AllowLegacyTLS10 {
			return nil, fmt.Errorf("tlsecho: config: minimum version %s refused: it is deprecated (RFC 8996); set AllowLegacyTLS10 to accept it anyway", tls.VersionName(minV))
		}
	default:
		return nil, fmt.Errorf("tlsecho: config: minimum version %s: not a TLS version Go supports (TLS 1.0 to 1.3)", tls.VersionName(minV))
	}
	cfg := &tls.Config{Certificates: c.Certificates, MinVersion: minV}
	if strings.TrimSpace(c.Ciphers) == "" {
		return cfg, nil
	}
	if minV == tls.VersionTLS13 {
		return nil, fmt.Errorf("tlsecho: config: ciphers %q with minimum version TLS 1.3: TLS 1.3 suites cannot be chosen in Go", c.Ciphers)
	}
	ids, err := ParseCiphers(c.Ciphers)
	if err != nil {
		return nil, err
	}
	if err := checkAuth(ids, c.Certificates); err != nil {
		return nil, fmt.Errorf("tlsecho: config: ciphers %q: %w", c.Ciphers, err)
	}
	cfg.CipherSuites = ids
	// CipherSuites alone would not stop TLS 1.3, which ignores the list.
	cfg.MaxVersion = tls.VersionTLS12
	return cfg, nil
}

// checkAuth returns an error unless some suite in ids can be used with some
// certificate in certs.
func checkAuth(ids []uint16, certs []tls.Certificate) error {
	var keys []string
	for _, cert := range certs {
		var key string
		switch cert.PrivateKey.(type) {
		case *ecdsa.PrivateKey:
			key = "ECDSA"
		case *rsa.PrivateKey:
			key = "RSA"
		default:
			// An opaque signer (a hardware key, say): let the handshake decide.
			return nil
		}
		keys = append(keys, key)
		for _, id := range ids {
			for _, s := range tls.CipherSuites() {
				if s.ID == id && describe(s).Auth == key {
					return nil
				}
			}
		}
	}
	return fmt.Errorf("no chosen suite can be used with a certificate with a key of type %s: ECDHE-ECDSA suites need an ECDSA key, ECDHE-RSA suites an RSA key", strings.Join(keys, ", "))
}

// ParseVersion reads a TLS protocol version as people write it: "1.2",
// "TLS 1.2", "TLSv1.2", or Python's constant name "PROTOCOL_TLSv1_2".
// "TLSv1" and "1.0" mean TLS 1.0. SSL 3.0 and unknown spellings are errors
// naming the input.
func ParseVersion(s string) (uint16, error) {
	v := strings.TrimSpace(s)
	v = strings.TrimPrefix(v, "PROTOCOL_")
	v = strings.TrimPrefix(strings.ToUpper(v), "TLS")
	v = strings.TrimPrefix(strings.TrimSpace(v), "V")
	switch strings.ReplaceAll(v, "_", ".") {
	case "1", "1.0":
		return tls.VersionTLS10, nil
	case "1.1":
		return tls.VersionTLS11, nil
	case "1.2":
		return tls.VersionTLS12, nil
	case "1.3":
		return tls.VersionTLS13, nil
	}
	return 0, fmt.Errorf("tlsecho: TLS version %q: want 1.0, 1.1, 1.2 or 1.3", s)
}
