package tlsecho_test

import (
	"crypto/tls"
	"testing"

	"github.com/sockbook/sockbook/pkg/tlsecho"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newCert(t *testing.T, kt tlsecho.KeyType) tls.Certificate {
	t.Helper()
	cert, err := tlsecho.NewSelfSigned(kt)
	require.NoError(t, err)
	return cert
}

func TestConfigDefaults(t *testing.T) {
	cert := newCert(t, tlsecho.ECDSAP256)
	cfg, err := (&tlsecho.Config{Certificates: []tls.Certificate{cert}}).TLSConfig()
	require.NoError(t, err)
	assert.Equal(t, uint16(tls.VersionTLS12), cfg.MinVersion)
	assert.Zero(t, cfg.MaxVersion, "TLS 1.3 stays available")
	assert.Nil(t, cfg.CipherSuites, "Go's defaults")
}

func TestConfigVersions(t *testing.T) {
	cert := newCert(t, tlsecho.ECDSAP256)
	for _, tc := range []struct {
		min    uint16
		legacy bool
		errMsg string
	}{
		{tls.VersionTLS12, false, ""},
		{tls.VersionTLS13, false, ""},
		{tls.VersionTLS10, false, "minimum version TLS 1.0 refused"},
		{tls.VersionTLS11, false, "minimum version TLS 1.1 refused"},
		{tls.VersionTLS10, true, ""},
		{tls.VersionTLS11, true, ""},
		{0x0300, true, "minimum version SSLv3: not a TLS version"}, // SSL 3.0,
		{0x0305, true, "minimum version 0x0305: not a TLS version"},
	} {
		cfg, err := (&tlsecho.Config{Certificates: []tls.Certificate{cert}, MinVersion: tc.min, AllowLegacyTLS10: tc.legacy}).TLSConfig()
		if tc.errMsg != "" {
			assert.ErrorContains(t, err, tc.errMsg)
			continue
		}
		require.NoError(t, err, tls.VersionName(tc.min))
		assert.Equal(t, tc.min, cfg.MinVersion)
	}
}

func TestConfigCiphers(t *testing.T) {
	ecdsaCert := newCert(t, tlsecho.ECDSAP256)
	cfg, err := (&tlsecho.Config{Certificates: []tls.Certificate{ecdsaCert}, Ciphers: "ECDH-ECDSA-AES128-GCM-SHA256"}).TLSConfig()
	require.NoError(t, err)
	assert.Equal(t, []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}, cfg.CipherSuites)
	assert.Equal(t, uint16(tls.VersionTLS12), cfg.MaxVersion, "TLS 1.3 would ignore the choice")

	_, err = (&tlsecho.Config{Certificates: []tls.Certificate{ecdsaCert}, Ciphers: "BOGUS"}).TLSConfig()
	assert.ErrorContains(t, err, `cipher "BOGUS"`)

	_, err = (&tlsecho.Config{Certificates: []tls.Certificate{ecdsaCert}, Ciphers: "ECDHE-ECDSA-AES128-GCM-SHA256", MinVersion: tls.VersionTLS13}).TLSConfig()
	assert.ErrorContains(t, err, "minimum version TLS 1.3")
}

// An ECDSA-only suite list with an RSA certificate could never complete a
// handshake; it is refused when the configuration is built.
func TestConfigCiphersNeedMatchingKey(t *testing.T) {
	rsaCert := newCert(t, tlsecho.RSA2048)
	ecdsaCert := newCert(t, tlsecho.ECDSAP256)

	_, err := (&tlsecho.Config{Certificates: []tls.Certificate{rsaCert}, Ciphers: "ECDH-ECDSA-AES128-GCM-SHA256"}).TLSConfig()
	require.Error(t, err)
	assert.Contains(t, err.Error(), `ciphers "ECDH-ECDSA-AES128-GCM-SHA256"`)
	assert.Contains(t, err.Error(), "key of type RSA")
	assert.Contains(t, err.Error(), "ECDHE-ECDSA suites need an ECDSA key")

	_, err = (&tlsecho.Config{Certificates: []tls.Certificate{ecdsaCert}, Ciphers: "ECDHE-RSA-AES128-GCM-SHA256"}).TLSConfig()
	assert.ErrorContains(t, err, "key of type ECDSA")

	// One usable pairing is enough.
	_, err = (&tlsecho.Config{Certificates: []tls.Certificate{rsaCert}, Ciphers: "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256"}).TLSConfig()
	assert.NoError(t, err)
	_, err = (&tlsecho.Config{Certificates: []tls.Certificate{rsaCert, ecdsaCert}, Ciphers: "ECDHE-ECDSA-AES128-GCM-SHA256"}).TLSConfig()
	assert.NoError(t, err)
}

func TestConfigNoCertificate(t *testing.T) {
	_, err := (&tlsecho.Config{}).TLSConfig()
	assert.ErrorContains(t, err, "no certificate")
}

func TestParseVersion(t *testing.T) {
	for in, want := range map[string]uint16{
		"1.0": tls.VersionTLS10, "1": tls.VersionTLS10, "TLSv1": tls.VersionTLS10, "PROTOCOL_TLSv1": tls.VersionTLS10,
		"1.1": tls.VersionTLS11, "TLSv1.1": tls.VersionTLS11, "PROTOCOL_TLSv1_1": tls.VersionTLS11,
		"1.2": tls.VersionTLS12, "TLS 1.2": tls.VersionTLS12, "tlsv1.2": tls.VersionTLS12,
		"1.3": tls.VersionTLS13, " TLS 1.3 ": tls.VersionTLS13,
	} {
		got, err := tlsecho.ParseVersion(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "SSLv3", "PROTOCOL_SSLv23", "1.4", "2", "TLS", "v1.2x"} {
		_, err := tlsecho.ParseVersion(in)
		assert.ErrorContains(t, err, `TLS version "`+in+`"`)
	}
}
