package main

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/sockbook/sockbook/pkg/tlsecho"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// chat sends lines over c, one at a time, and requires each back.
func chat(t *testing.T, c net.Conn, lines ...string) {
	t.Helper()
	require.NoError(t, c.SetDeadline(time.Now().Add(10*time.Second)))
	r := bufio.NewReader(c)
	for _, line := range lines {
		_, err := c.Write([]byte(line))
		require.NoError(t, err)
		got, err := r.ReadString('\n')
		require.NoError(t, err)
		assert.Equal(t, line, got)
	}
}

func TestEventLoopServers(t *testing.T) {
	slugs := []string{"select-server", "poll-server", "selectors"}
	if runtime.GOOS == "linux" {
		slugs = append(slugs, "epoll-server")
	} else {
		slugs = append(slugs, "kqueue-server")
	}
	for _, slug := range slugs {
		t.Run(slug, func(t *testing.T) {
			network, addr, lines := startCLI(t, slug, "-addr", "127.0.0.1:0")
			require.Equal(t, "tcp", network)
			// Two clients at once, as the cheat sheet's two terminals.
			a, err := net.Dial("tcp", addr)
			require.NoError(t, err)
			defer a.Close()
			b, err := net.Dial("tcp", addr)
			require.NoError(t, err)
			defer b.Close()
			chat(t, a, "Hello\n")
			chat(t, b, "Hello Python\n", "Hello Awesome Python\n")
			chat(t, a, "Hello Python Socket Programming\n")
			assert.Contains(t, nextLine(t, lines), "msg=accepted remote=127.0.0.1:", "the server logs the client")
		})
	}
}

func TestEventLoopSelectorsFlag(t *testing.T) {
	_, addr, _ := startCLI(t, "selectors", "-addr", "127.0.0.1:0", "-selector", "poll")
	c, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer c.Close()
	chat(t, c, "Hi\n")

	_, stderr := runCLIFail(t, "selectors", "-selector", "kpoll")
	assert.Contains(t, stderr, `-selector "kpoll": want default, select, poll, epoll or kqueue`)
}

func TestKqueueServerUnsupported(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("kqueue exists here; TestEventLoopServers serves with it")
	}
	stdout, stderr := runCLIFail(t, "kqueue-server", "-addr", "127.0.0.1:0")
	assert.Equal(t, "sockbook: poller: kqueue is not supported on linux: unsupported operation\n", stdout+stderr)
}

func TestNonblockingTLS(t *testing.T) {
	// Certificate files, as the cheat sheet's openssl made.
	cert, err := tlsecho.NewSelfSigned(tlsecho.ECDSAP256, "127.0.0.1")
	require.NoError(t, err)
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	key, err := x509.MarshalPKCS8PrivateKey(cert.PrivateKey)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]}), 0o600))
	require.NoError(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: key}), 0o600))
	roots := x509.NewCertPool()
	roots.AddCert(cert.Leaf)

	network, addr, _ := startCLI(t, "nonblocking-tls", "-addr", "127.0.0.1:0", "-cert", certFile, "-key", keyFile)
	require.Equal(t, "tcp", network)
	for _, line := range []string{"Hello TLS\n", "Hello SSL\n"} {
		c, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: roots})
		require.NoError(t, err)
		chat(t, c, line)
		c.Close()
	}
}

func TestNonblockingTLSSelfSigned(t *testing.T) {
	_, addr, lines := startCLI(t, "nonblocking-tls", "-addr", "127.0.0.1:0")
	assert.Contains(t, nextLine(t, lines), "self-signed", "a word about the certificate")
	// The certificate is made at start and trusted by no one: this client
	// checks the exchange, not the identity.
	c, err := tls.Dial("tcp", addr, &tls.Config{InsecureSkipVerify: true})
	require.NoError(t, err)
	defer c.Close()
	chat(t, c, "Hello TLS\n")
	assert.Equal(t, "localhost", c.ConnectionState().PeerCertificates[0].Subject.CommonName, "tlsecho.DefaultHosts first")
}
