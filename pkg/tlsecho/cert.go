package tlsecho

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"net"
	"strings"
	"time"
)

// A KeyType is the public-key algorithm of a generated certificate.
type KeyType int

// The key types NewSelfSigned makes: what the cheat sheet's
// "openssl genrsa 2048" and "openssl ecparam -name prime256v1" make.
const (
	RSA2048 KeyType = iota + 1
	ECDSAP256
)

// String returns the key type's name, such as "RSA 2048".
func (k KeyType) String() string {
	switch k {
	case RSA2048:
		return "RSA 2048"
	case ECDSAP256:
		return "ECDSA P-256"
	}
	return fmt.Sprintf("KeyType(%d)", int(k))
}

// DefaultHosts are the names a self-signed certificate covers when none are
// given: every way a local client may spell the loopback host.
func DefaultHosts() []string { return []string{"localhost", "127.0.0.1", "::1"} }

// certLifetime mirrors the cheat sheet's "openssl req -days 365".
const certLifetime = 365 * 24 * time.Hour

// NewSelfSigned returns a new self-signed certificate with a fresh private
// key of type kt, valid for hosts (DefaultHosts when none are given) for
// 365 days. Host names become DNS names and IP addresses become IP
// addresses in the certificate's subject alternative names, which is what
// clients check; the subject's common name is only a label.
//
// The certificate is its own issuer and marked as a CA, like the cheat
// sheet's root-ca.crt, so a client trusts it by adding it to its root pool
// (see CertPool). The returned certificate has Leaf set.
func NewSelfSigned(kt KeyType, hosts ...string) (tls.Certificate, error) {
	if len(hosts) == 0 {
		hosts = DefaultHosts()
	}
	var dnsNames []string
	var ips []net.IP
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			ips = append(ips, ip)
			continue
		}
		if h == "" || strings.ContainsAny(h, " /:\t\r\n") {
			return tls.Certificate{}, fmt.Errorf("tlsecho: certificate host %q: not a host name or IP address", h)
		}
		dnsNames = append(dnsNames, h)
	}

	key, err := newKey(kt)
	if err != nil {
		return tls.Certificate{}, err
	}
	// RFC 5280 wants a positive serial of at most 20 octets, unique per
	// issuer; 128 random bits make a collision practically impossible.
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("tlsecho: certificate serial: %w", err)
	}
	usage := x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign
	if kt == RSA2048 {
		// TLS 1.0–1.2 RSA key exchange encrypts to the key.
		usage |= x509.KeyUsageKeyEncipherment
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{Organization: []string{"sockbook"}, CommonName: hosts[0]},
		// An hour of slack keeps a client whose clock is a little behind
		// from rejecting a certificate made a moment ago.
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(certLifetime),
		KeyUsage:              usage,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              dnsNames,
		IPAddresses:           ips,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("tlsecho: create %v certificate: %w", kt, err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("tlsecho: parse the certificate just made: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, nil
}

func newKey(kt KeyType) (crypto.Signer, error) {
	switch kt {
	case RSA2048:
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return nil, fmt.Errorf("tlsecho: generate %v key: %w", kt, err)
		}
		return k, nil
	case ECDSAP256:
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, fmt.Errorf("tlsecho: generate %v key: %w", kt, err)
		}
		return k, nil
	}
	return nil, fmt.Errorf("tlsecho: key type %v: want RSA2048 or ECDSAP256", kt)
}

// CertPool returns a pool holding the leaf of each certificate, for a
// client's tls.Config.RootCAs: the client then trusts exactly these
// self-signed certificates, where the cheat sheet's clients pass
// -CAfile or skip verification.
func CertPool(certs ...tls.Certificate) (*x509.CertPool, error) {
	if len(certs) == 0 {
		return nil, errors.New("tlsecho: cert pool: no certificates given")
	}
	pool := x509.NewCertPool()
	for i, c := range certs {
		leaf, err := leafOf(c)
		if err != nil {
			return nil, fmt.Errorf("tlsecho: cert pool: certificate %d: %w", i, err)
		}
		pool.AddCert(leaf)
	}
	return pool, nil
}

// leafOf returns c's parsed leaf certificate.
func leafOf(c tls.Certificate) (*x509.Certificate, error) {
	if c.Leaf != nil {
		return c.Leaf, nil
	}
	if len(c.Certificate) == 0 {
		return nil, errors.New("empty certificate chain")
	}
	leaf, err := x509.ParseCertificate(c.Certificate[0])
	if err != nil {
		return nil, fmt.Errorf("parse leaf: %w", err)
	}
	return leaf, nil
}
