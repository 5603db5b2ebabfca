package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sockbook/sockbook/pkg/echo"
	"github.com/sockbook/sockbook/pkg/tlsecho"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tlsExchange dials a TLS server at addr trusting only pool, echoes msg
// and returns the connection state.
func tlsExchange(t *testing.T, addr string, pool *x509.CertPool, msg string) tls.ConnectionState {
	t.Helper()
	d := tls.Dialer{Config: &tls.Config{RootCAs: pool}}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := d.DialContext(ctx, "tcp", addr)
	require.NoError(t, err)
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	got, err := echo.Exchange(c, []byte(msg))
	require.NoError(t, err)
	assert.Equal(t, msg, string(got))
	return c.(*tls.Conn).ConnectionState()
}

// poolFromFile trusts the PEM certificate at path.
func poolFromFile(t *testing.T, path string) *x509.CertPool {
	t.Helper()
	pem, err := os.ReadFile(path)
	require.NoError(t, err)
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(pem), "no certificate in %s", path)
	return pool
}

// The test makes the certificate, so it can trust it without skipping
// verification.
func TestCLITLSEchoWithCertFiles(t *testing.T) {
	cert, err := tlsecho.NewSelfSigned(tlsecho.RSA2048)
	require.NoError(t, err)
	certPath, keyPath, err := tlsecho.WritePEM(t.TempDir(), cert)
	require.NoError(t, err)

	network, addr, lines := startCLI(t, "tls-echo", "-addr", "127.0.0.1:0", "-cert", certPath, "-key", keyPath)
	assert.Equal(t, "tcp", network)
	waitLine(t, lines, "certificate from "+certPath)

	pool, err := tlsecho.CertPool(cert)
	require.NoError(t, err)
	st := tlsExchange(t, addr, pool, "Hello SSL\n")
	assert.Equal(t, uint16(tls.VersionTLS13), st.Version)
	waitLine(t, lines, "handshake done")
	waitLine(t, lines, "connection closed")
}

// With -write-pem the binary's own certificate is saved, and a client
// trusting that file verifies the server.
func TestCLITLSEchoWritePEM(t *testing.T) {
	dir := t.TempDir()
	_, addr, lines := startCLI(t, "tls-echo", "-addr", "127.0.0.1:0", "-write-pem", dir)
	waitLine(t, lines, "self-signed certificate made in memory for localhost, 127.0.0.1, ::1")
	waitLine(t, lines, "-CAfile "+filepath.Join(dir, "cert.pem"))

	fi, err := os.Stat(filepath.Join(dir, "key.pem"))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	_, err = tls.LoadX509KeyPair(filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem"))
	require.NoError(t, err)

	tlsExchange(t, addr, poolFromFile(t, filepath.Join(dir, "cert.pem")), "Hello SSL\n")
}

func TestCLITLSCiphers(t *testing.T) {
	dir := t.TempDir()
	_, addr, lines := startCLI(t, "tls-ciphers", "-addr", "127.0.0.1:0", "-write-pem", dir)
	waitLine(t, lines, "self-signed certificate")

	// The JSON list follows the certificate lines.
	var js strings.Builder
	waitLine(t, lines, "[")
	js.WriteString("[")
	for l := ""; l != "]"; {
		l = nextLine(t, lines)
		js.WriteString(l)
	}
	var ciphers []map[string]any
	require.NoError(t, json.Unmarshal([]byte(js.String()), &ciphers), js.String())
	require.Len(t, ciphers, 1)
	assert.Equal(t, "ECDHE-ECDSA-AES128-GCM-SHA256", ciphers[0]["name"])
	assert.Equal(t, "0xc02b", ciphers[0]["id"])

	st := tlsExchange(t, addr, poolFromFile(t, filepath.Join(dir, "cert.pem")), "Hello ECDH-ECDSA-AES128-GCM-SHA256\n")
	assert.Equal(t, tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, st.CipherSuite)
	assert.Equal(t, uint16(tls.VersionTLS12), st.Version)
}

func TestCLITLSCiphersList(t *testing.T) {
	out := runCLI(t, "tls-ciphers", "-list", "-ciphers", "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305")
	var ciphers []struct{ Name, GoName string }
	require.NoError(t, json.Unmarshal([]byte(out), &ciphers), out)
	require.Len(t, ciphers, 2)
	assert.Equal(t, "ECDHE-ECDSA-AES256-GCM-SHA384", ciphers[0].Name)
	assert.Equal(t, "ECDHE-ECDSA-CHACHA20-POLY1305", ciphers[1].Name)
	assert.NotContains(t, out, "listening on")
}

func TestCLITLSBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"tls-ciphers", "-ciphers", "BOGUS", "-list"}, `cipher "BOGUS": unknown`},
		{[]string{"tls-echo", "-addr", "127.0.0.1:0", "-min-version", "1.0"}, "minimum version TLS 1.0 refused"},
		{[]string{"tls-echo", "-addr", "127.0.0.1:0", "-min-version", "SSLv3"}, `TLS version "SSLv3"`},
		{[]string{"tls-echo", "-addr", "127.0.0.1:0", "-cert", "c.pem"}, "-cert and -key go together"},
		{[]string{"tls-echo", "-addr", "127.0.0.1:0", "-cert", "/no/such/c.pem", "-key", "/no/such/k.pem"}, "/no/such/c.pem"},
		{[]string{"tls-ciphers", "-addr", "127.0.0.1:0", "-ciphers", "ECDHE-RSA-AES128-GCM-SHA256"}, "key of type ECDSA"},
	} {
		stdout, stderr := runCLIFail(t, tc.args...)
		assert.Contains(t, stderr, tc.want, tc.args)
		assert.NotContains(t, stdout+stderr, "listening on", tc.args)
	}
}

// The cheat sheet's TLS 1.0 server, with the explicit opt-in.
func TestCLITLSEchoLegacyTLS10(t *testing.T) {
	cert, err := tlsecho.NewSelfSigned(tlsecho.RSA2048)
	require.NoError(t, err)
	certPath, keyPath, err := tlsecho.WritePEM(t.TempDir(), cert)
	require.NoError(t, err)
	_, addr, _ := startCLI(t, "tls-echo", "-addr", "127.0.0.1:0", "-cert", certPath, "-key", keyPath, "-min-version", "TLSv1", "-allow-tls10")
	pool, err := tlsecho.CertPool(cert)
	require.NoError(t, err)

	c, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS10})
	require.NoError(t, err)
	defer c.Close()
	got, err := echo.Exchange(c, []byte("Hello SSL\n"))
	require.NoError(t, err)
	assert.Equal(t, "Hello SSL\n", string(got))
	assert.Equal(t, uint16(tls.VersionTLS10), c.ConnectionState().Version)
}
