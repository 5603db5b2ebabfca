package tlsecho_test

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/sockbook/sockbook/internal/echotest"
	"github.com/sockbook/sockbook/internal/syncbuf"
	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/pkg/echo"
	"github.com/sockbook/sockbook/pkg/tlsecho"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func serverConfig(t *testing.T, c tlsecho.Config) *tls.Config {
	t.Helper()
	cfg, err := c.TLSConfig()
	require.NoError(t, err)
	return cfg
}

func trusting(t *testing.T, cert tls.Certificate) *x509.CertPool {
	t.Helper()
	pool, err := tlsecho.CertPool(cert)
	require.NoError(t, err)
	return pool
}

// exchange dials addr with cfg, echoes msg and returns the connection
// state.
func exchange(t *testing.T, addr string, cfg *tls.Config, msg string) tls.ConnectionState {
	t.Helper()
	d := tls.Dialer{Config: cfg, NetDialer: &net.Dialer{Timeout: 10 * time.Second}}
	c, err := d.DialContext(context.Background(), "tcp", addr)
	require.NoError(t, err)
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	got, err := echo.Exchange(c, []byte(msg))
	require.NoError(t, err)
	assert.Equal(t, msg, string(got))
	return c.(*tls.Conn).ConnectionState()
}

func TestServerEchoSuite(t *testing.T) {
	cert := newCert(t, tlsecho.RSA2048)
	cfg := serverConfig(t, tlsecho.Config{Certificates: []tls.Certificate{cert}})
	client := &tls.Config{RootCAs: trusting(t, cert), ServerName: "localhost"}
	echotest.Run(t, echotest.Target{
		Start: func(ctx context.Context, idle time.Duration) (net.Addr, func() error, error) {
			return echotest.Serve(ctx, "tcp", "127.0.0.1:0", &tlsecho.Server{TLS: cfg, Echo: echo.Handler{IdleTimeout: idle}})
		},
		Dial: func(ctx context.Context, addr net.Addr) (net.Conn, error) {
			d := tls.Dialer{Config: client}
			return d.DialContext(ctx, addr.Network(), addr.String())
		},
	})
}

// A client that speaks plaintext, one that sends garbage, and one that
// says nothing each fail the handshake, get no echo, and are logged; a TLS
// client afterwards is served as usual.
func TestServerSurvivesBadClients(t *testing.T) {
	testenv.CheckFDs(t)
	cert := newCert(t, tlsecho.ECDSAP256)
	var logs syncbuf.Buffer
	srv := &tlsecho.Server{
		TLS:              serverConfig(t, tlsecho.Config{Certificates: []tls.Certificate{cert}}),
		HandshakeTimeout: time.Second,
		Logger:           slog.New(slog.NewTextHandler(&logs, nil)),
	}
	addr := echotest.ServeTest(t, srv)
	good := &tls.Config{RootCAs: trusting(t, cert)}

	// A TLS client already talking must not be disturbed either.
	d := tls.Dialer{Config: good}
	steady, err := d.DialContext(context.Background(), "tcp", addr)
	require.NoError(t, err)
	defer steady.Close()
	steady.SetDeadline(time.Now().Add(10 * time.Second))
	_, err = steady.Write([]byte("before the bad clients, "))
	require.NoError(t, err)

	garbage := make([]byte, 4096)
	_, err = rand.Read(garbage)
	require.NoError(t, err)
	for _, tc := range []struct {
		name string
		send []byte
	}{
		{"plaintext HTTP", []byte("GET / HTTP/1.0\r\n\r\n")},
		{"garbage", garbage},
		{"silent", nil},
	} {
		c, err := net.Dial("tcp", addr)
		require.NoError(t, err, tc.name)
		c.SetDeadline(time.Now().Add(10 * time.Second))
		if tc.send != nil {
			_, err = c.Write(tc.send)
			require.NoError(t, err, tc.name)
		}
		got, err := io.ReadAll(c)
		c.Close()
		// The server hangs up, perhaps after an alert record, perhaps
		// with a reset; it never echoes.
		if err != nil {
			assert.NotErrorIs(t, err, context.DeadlineExceeded, tc.name)
			var ne net.Error
			assert.False(t, errors.As(err, &ne) && ne.Timeout(), "%s: the server never hung up", tc.name)
		}
		if tc.send != nil {
			assert.NotContains(t, string(got), string(tc.send[:8]), "%s: echoed without a handshake", tc.name)
		}
		assert.LessOrEqual(t, len(got), 7, "%s: at most one alert record comes back", tc.name)
	}

	got, err := echo.Exchange(steady, []byte("and after"))
	require.NoError(t, err)
	assert.Equal(t, "before the bad clients, and after", string(got))
	st := exchange(t, addr, good, "Hello SSL\n")
	assert.Equal(t, uint16(tls.VersionTLS13), st.Version)

	// The server logs a failure just after hanging up, so the last line
	// may trail the client's end of stream.
	assert.Eventually(t, func() bool { return strings.Count(logs.String(), "handshake failed") == 3 },
		5*time.Second, 10*time.Millisecond, "server log:\n%s", logs.String())
	log := logs.String()
	assert.Contains(t, log, "first record does not look like a TLS handshake", "the plaintext client")
	assert.Contains(t, log, "context deadline exceeded", "the silent client")
}

// A client that never finishes its handshake does not delay shutdown, even
// with a long handshake timeout.
func TestServerShutdownDuringHandshake(t *testing.T) {
	cert := newCert(t, tlsecho.ECDSAP256)
	srv := &tlsecho.Server{
		TLS:              serverConfig(t, tlsecho.Config{Certificates: []tls.Certificate{cert}}),
		HandshakeTimeout: time.Hour,
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()

	c, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	defer c.Close()
	_, err = c.Write([]byte{0x16, 0x03, 0x01}) // the start of a record header
	require.NoError(t, err)
	time.Sleep(100 * time.Millisecond) // let the server start the handshake

	cancel()
	select {
	case err := <-done:
		assert.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return within 10 s of its context ending")
	}
}

func TestServerCipherSelection(t *testing.T) {
	cert := newCert(t, tlsecho.ECDSAP256)
	var logs syncbuf.Buffer
	srv := &tlsecho.Server{
		TLS:    serverConfig(t, tlsecho.Config{Certificates: []tls.Certificate{cert}, Ciphers: "ECDH-ECDSA-AES128-GCM-SHA256"}),
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
	}
	addr := echotest.ServeTest(t, srv)
	pool := trusting(t, cert)

	t.Run("ClientOffersOnlyTheSuite", func(t *testing.T) {
		st := exchange(t, addr, &tls.Config{
			RootCAs:      pool,
			MaxVersion:   tls.VersionTLS12,
			CipherSuites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256},
		}, "Hello ECDH-ECDSA-AES128-GCM-SHA256\n")
		assert.Equal(t, tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, st.CipherSuite)
		assert.Equal(t, uint16(tls.VersionTLS12), st.Version)
	})
	t.Run("ClientWithDefaults", func(t *testing.T) {
		// The client offers TLS 1.3 and many suites; the server's choice
		// wins at TLS 1.2.
		st := exchange(t, addr, &tls.Config{RootCAs: pool}, "defaults\n")
		assert.Equal(t, tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, st.CipherSuite)
		assert.Equal(t, uint16(tls.VersionTLS12), st.Version)
	})
	t.Run("ClientOffersAnotherSuite", func(t *testing.T) {
		c, err := tls.Dial("tcp", addr, &tls.Config{
			RootCAs:      pool,
			MaxVersion:   tls.VersionTLS12,
			CipherSuites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384},
		})
		if err == nil {
			c.Close()
		}
		require.Error(t, err, "the handshake must fail")
		assert.Contains(t, err.Error(), "handshake failure")
		assert.Eventually(t, func() bool {
			return strings.Contains(logs.String(), "no cipher suite supported by both client and server")
		},
			5*time.Second, 10*time.Millisecond, "server log:\n%s", logs.String())
	})
	t.Run("ClientOnlyTLS13", func(t *testing.T) {
		c, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS13})
		if err == nil {
			c.Close()
		}
		require.Error(t, err, "TLSConfig's MaxVersion caps the server at TLS 1.2")
		assert.Contains(t, err.Error(), "protocol version")
	})
}

// TestCipherSuitesAloneKeepTLS13 is why Config.TLSConfig sets MaxVersion: a
// tls.Config with the same CipherSuites and no MaxVersion still negotiates
// TLS 1.3, with a suite the list does not name.
func TestCipherSuitesAloneKeepTLS13(t *testing.T) {
	cert := newCert(t, tlsecho.ECDSAP256)
	ids, err := tlsecho.ParseCiphers("ECDH-ECDSA-AES128-GCM-SHA256")
	require.NoError(t, err)
	srv := &tlsecho.Server{TLS: &tls.Config{Certificates: []tls.Certificate{cert}, CipherSuites: ids}}
	st := exchange(t, echotest.ServeTest(t, srv), &tls.Config{RootCAs: trusting(t, cert)}, "plain\n")
	assert.Equal(t, uint16(tls.VersionTLS13), st.Version)
	assert.NotContains(t, ids, st.CipherSuite)
}

func TestServerVersionPolicy(t *testing.T) {
	cert := newCert(t, tlsecho.ECDSAP256)
	pool := trusting(t, cert)
	tls10Client := &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS10}

	t.Run("DefaultRefusesTLS10", func(t *testing.T) {
		addr := echotest.ServeTest(t, &tlsecho.Server{TLS: serverConfig(t, tlsecho.Config{Certificates: []tls.Certificate{cert}})})
		c, err := tls.Dial("tcp", addr, tls10Client)
		if err == nil {
			c.Close()
		}
		require.Error(t, err)
		assert.Contains(t, err.Error(), "protocol version")
	})
	// Measured on Go 1.26: with an explicit MinVersion of TLS 1.0 on both
	// sides, TLS 1.0 is negotiated without GODEBUG=tls10server=1.
	t.Run("LegacyAllowsTLS10", func(t *testing.T) {
		addr := echotest.ServeTest(t, &tlsecho.Server{TLS: serverConfig(t, tlsecho.Config{
			Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS10, AllowLegacyTLS10: true,
		})})
		st := exchange(t, addr, tls10Client, "Hello SSL\n")
		assert.Equal(t, uint16(tls.VersionTLS10), st.Version)
		// A modern client still gets TLS 1.3 from the same server.
		st = exchange(t, addr, &tls.Config{RootCAs: pool}, "modern\n")
		assert.Equal(t, uint16(tls.VersionTLS13), st.Version)
	})
}

func TestServeWithoutCertificate(t *testing.T) {
	for _, cfg := range []*tls.Config{nil, {}} {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		err = (&tlsecho.Server{TLS: cfg}).Serve(context.Background(), ln)
		assert.ErrorContains(t, err, "no certificate")
		_, err = ln.Accept()
		assert.ErrorIs(t, err, net.ErrClosed, "Serve closes the listener it was given")
	}
}

// BenchmarkHandshakeEcho measures a full connection: TCP connect, TLS 1.3
// handshake, a short echo and close, for each certificate type.
func BenchmarkHandshakeEcho(b *testing.B) {
	for _, bc := range []struct {
		name string
		kt   tlsecho.KeyType
	}{{"RSA2048", tlsecho.RSA2048}, {"ECDSAP256", tlsecho.ECDSAP256}} {
		b.Run(bc.name, func(b *testing.B) {
			cert, err := tlsecho.NewSelfSigned(bc.kt)
			require.NoError(b, err)
			cfg, err := (&tlsecho.Config{Certificates: []tls.Certificate{cert}}).TLSConfig()
			require.NoError(b, err)
			pool, err := tlsecho.CertPool(cert)
			require.NoError(b, err)
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			require.NoError(b, err)
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- (&tlsecho.Server{TLS: cfg}).Serve(ctx, ln) }()
			defer func() { cancel(); require.NoError(b, <-done) }()

			client := &tls.Config{RootCAs: pool}
			msg := []byte("Hello SSL\n")
			for b.Loop() {
				c, err := tls.Dial("tcp", ln.Addr().String(), client)
				require.NoError(b, err)
				_, err = echo.Exchange(c, msg)
				c.Close()
				require.NoError(b, err)
			}
		})
	}
}
