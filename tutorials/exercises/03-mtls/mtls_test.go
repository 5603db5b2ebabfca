package mtls

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"testing"
	"time"
)

// issue makes a certificate for name, signed by parent (self-signed when
// parent is nil), usable as a CA when ca is set.
func issue(t *testing.T, name string, parent *tls.Certificate, ca bool) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  ca,
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	signer, signerKey := tmpl, any(key)
	if parent != nil {
		signer, signerKey = parent.Leaf, parent.PrivateKey
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, signer, &key.PublicKey, signerKey)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}
}

type result struct {
	name string
	err  error
}

// exchange runs one handshake between a server using ServerConfig and a
// client using the configuration client makes from the run's client CA, and
// returns what ClientName said on the server and what the client saw.
func exchange(t *testing.T, client func(ca *tls.Certificate) *tls.Config) (result, error) {
	t.Helper()
	ca := issue(t, "test CA", nil, true)
	pool := x509.NewCertPool()
	pool.AddCert(ca.Leaf)
	serverCert := issue(t, "server", nil, false)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	res := make(chan result, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			res <- result{err: err}
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(5 * time.Second))
		sc := tls.Server(c, ServerConfig(serverCert, pool))
		// The test runs the handshake itself, so that a configuration that
		// does not ask for a certificate is caught even before ClientName.
		if err := sc.Handshake(); err != nil {
			res <- result{err: err}
			return
		}
		name, err := ClientName(sc)
		res <- result{name, err}
	}()

	roots := x509.NewCertPool()
	roots.AddCert(serverCert.Leaf)
	clientCfg := client(&ca)
	clientCfg.RootCAs = roots
	clientCfg.ServerName = "127.0.0.1"
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	tc := tls.Client(c, clientCfg)
	cerr := tc.Handshake()
	if cerr == nil {
		// TLS 1.3 reports a rejected client certificate only on the
		// first read.
		tc.Write([]byte("x"))
		_, cerr = tc.Read(make([]byte, 1))
		if cerr != nil && cerr.Error() == "EOF" {
			cerr = nil
		}
	}
	tc.Close()
	return <-res, cerr
}

func TestVerifiedClientName(t *testing.T) {
	r, cerr := exchange(t, func(ca *tls.Certificate) *tls.Config {
		return &tls.Config{Certificates: []tls.Certificate{issue(t, "alice", ca, false)}}
	})
	if r.err != nil {
		t.Fatalf("ClientName for a client with a certificate signed by the CA: %v (the client saw: %v)", r.err, cerr)
	}
	if r.name != "alice" {
		t.Fatalf("ClientName = %q, want \"alice\" (the certificate's common name)", r.name)
	}
}

func TestNoClientCertificate(t *testing.T) {
	r, cerr := exchange(t, func(*tls.Certificate) *tls.Config { return &tls.Config{} })
	if r.err == nil || cerr == nil {
		t.Fatalf("a client without a certificate was accepted (server: %q, %v; client: %v); the certificate must be required", r.name, r.err, cerr)
	}
}

func TestUntrustedClientCertificate(t *testing.T) {
	mallory := issue(t, "mallory", nil, false) // self-signed, not by the CA
	r, cerr := exchange(t, func(*tls.Certificate) *tls.Config {
		return &tls.Config{Certificates: []tls.Certificate{mallory}}
	})
	if r.err == nil || cerr == nil {
		t.Fatalf("a client with a self-signed certificate was accepted (server: %q, %v; client: %v); it must verify against the client CA pool", r.name, r.err, cerr)
	}
}

func TestOldTLSRefused(t *testing.T) {
	if v := ServerConfig(tls.Certificate{}, x509.NewCertPool()).MinVersion; v < tls.VersionTLS12 {
		t.Errorf("ServerConfig's MinVersion is %#x; set it to tls.VersionTLS12 or higher explicitly", v)
	}
	r, cerr := exchange(t, func(ca *tls.Certificate) *tls.Config {
		return &tls.Config{Certificates: []tls.Certificate{issue(t, "alice", ca, false)},
			MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11}
	})
	if r.err == nil || cerr == nil {
		t.Fatalf("a TLS 1.1 client was accepted (server: %v; client: %v); the server must require TLS 1.2 or newer", r.err, cerr)
	}
}
