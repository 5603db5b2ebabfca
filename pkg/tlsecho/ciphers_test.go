package tlsecho_test

import (
	"crypto/tls"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/sockbook/sockbook/pkg/tlsecho"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every suite Go implements has an OpenSSL name, no two share one, and
// ParseCiphers reads each secure TLS 1.2 name back to its suite.
func TestOpenSSLNameCoversGo(t *testing.T) {
	seen := map[string]uint16{}
	for _, s := range append(tls.CipherSuites(), tls.InsecureCipherSuites()...) {
		name, ok := tlsecho.OpenSSLName(s.ID)
		require.True(t, ok, "no OpenSSL name for %s", s.Name)
		prev, dup := seen[name]
		require.False(t, dup, "%s named %q like %#04x", s.Name, name, prev)
		seen[name] = s.ID
		if s.Insecure || slices.Contains(s.SupportedVersions, tls.VersionTLS13) {
			continue
		}
		for _, spelling := range []string{name, s.Name} {
			ids, err := tlsecho.ParseCiphers(spelling)
			require.NoError(t, err, spelling)
			assert.Equal(t, []uint16{s.ID}, ids, spelling)
		}
	}
	_, ok := tlsecho.OpenSSLName(0x0001)
	assert.False(t, ok)
}

func TestParseCiphers(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []uint16
	}{
		// The cheat sheet's static-ECDH name maps to its ECDHE equivalent.
		{"ECDH-ECDSA-AES128-GCM-SHA256", []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}},
		{"ECDH-ECDSA-AES256-GCM-SHA384", []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384}},
		{"ECDH-ECDSA-AES128-SHA", []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA}},
		{"ECDH-ECDSA-AES256-SHA", []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA}},
		{"ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305",
			[]uint16{tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256}},
		{" ECDHE-RSA-AES128-SHA, ECDHE-RSA-AES256-SHA ",
			[]uint16{tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, tls.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA}},
		// A repeat, even under another name, is listed once.
		{"ECDHE-ECDSA-AES128-GCM-SHA256:ECDH-ECDSA-AES128-GCM-SHA256:TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
			[]uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}},
	} {
		got, err := tlsecho.ParseCiphers(tc.in)
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
	}
}

func TestParseCiphersBadInput(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", `cipher list "" names no cipher`},
		{" :: ", `cipher list " :: " names no cipher`},
		{"NO-SUCH-CIPHER", `cipher "NO-SUCH-CIPHER": unknown`},
		{"ECDHE-RSA-AES128-GCM-SHA256:HIGH", `cipher "HIGH": unknown`},
		{"!aNULL", `cipher "!aNULL": unknown`},
		{"ecdhe-rsa-aes128-gcm-sha256", `cipher "ecdhe-rsa-aes128-gcm-sha256": unknown`},
		{"TLS_AES_256_GCM_SHA384", "TLS 1.3 suites cannot be chosen"},
		{"TLS_CHACHA20_POLY1305_SHA256", "TLS 1.3 suites cannot be chosen"},
		{"RC4-SHA", `cipher "RC4-SHA": refused as insecure`},
		{"TLS_RSA_WITH_AES_128_GCM_SHA256", "refused as insecure"},
		{"ECDHE-RSA-DES-CBC3-SHA", "refused as insecure"},
	} {
		_, err := tlsecho.ParseCiphers(tc.in)
		require.Error(t, err, tc.in)
		assert.Contains(t, err.Error(), tc.want)
	}
	// An unknown name's error lists what is known, to help the reader.
	_, err := tlsecho.ParseCiphers("X")
	assert.ErrorContains(t, err, "ECDHE-ECDSA-AES128-GCM-SHA256")
}

func names(cs []tlsecho.Cipher) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return out
}

func TestEnabledCiphersDefaults(t *testing.T) {
	cs := tlsecho.EnabledCiphers(&tls.Config{})
	got := names(cs)
	require.Len(t, got, len(tls.CipherSuites()), "every secure suite is enabled by default")
	assert.Equal(t, []string{"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"}, got[:3], "TLS 1.3 first")
	for _, c := range cs {
		assert.NotContains(t, c.Protocols, "TLS 1.0", "%s: TLS 1.0 is below Go's default minimum", c.Name)
		assert.NotEmpty(t, c.Protocols, c.Name)
	}

	cs = tlsecho.EnabledCiphers(&tls.Config{MaxVersion: tls.VersionTLS12})
	assert.NotContains(t, names(cs), "TLS_AES_128_GCM_SHA256")
	assert.Len(t, cs, len(tls.CipherSuites())-3)

	cs = tlsecho.EnabledCiphers(&tls.Config{MinVersion: tls.VersionTLS13})
	assert.Equal(t, []string{"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"}, names(cs))

	cs = tlsecho.EnabledCiphers(&tls.Config{MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS12})
	i := slices.IndexFunc(cs, func(c tlsecho.Cipher) bool { return c.Name == "ECDHE-RSA-AES128-SHA" })
	require.GreaterOrEqual(t, i, 0)
	assert.Equal(t, []string{"TLS 1.0", "TLS 1.1", "TLS 1.2"}, cs[i].Protocols)
	i = slices.IndexFunc(cs, func(c tlsecho.Cipher) bool { return c.Name == "ECDHE-RSA-AES128-GCM-SHA256" })
	require.GreaterOrEqual(t, i, 0)
	assert.Equal(t, []string{"TLS 1.2"}, cs[i].Protocols, "GCM suites exist only from TLS 1.2")
}

func TestEnabledCiphersChosen(t *testing.T) {
	cfg := &tls.Config{
		MaxVersion: tls.VersionTLS12,
		CipherSuites: []uint16{
			tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
			tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
			tls.TLS_RSA_WITH_3DES_EDE_CBC_SHA,
		},
	}
	cs := tlsecho.EnabledCiphers(cfg)
	require.Equal(t, []string{"ECDHE-RSA-CHACHA20-POLY1305", "ECDHE-ECDSA-AES256-SHA", "DES-CBC3-SHA"}, names(cs), "in the configured order")

	cc := cs[0]
	assert.Equal(t, tlsecho.SuiteID(0xcca8), cc.ID)
	assert.Equal(t, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", cc.GoName)
	assert.Equal(t, "ECDHE-RSA-CHACHA20-POLY1305 TLSv1.2 Kx=ECDH Au=RSA Enc=CHACHA20/POLY1305(256) Mac=AEAD", cc.Description)
	assert.True(t, cc.AEAD)
	assert.Equal(t, 256, cc.StrengthBits)

	cbc := cs[1]
	assert.Equal(t, "ECDHE-ECDSA-AES256-SHA TLSv1 Kx=ECDH Au=ECDSA Enc=AES(256) Mac=SHA1", cbc.Description)
	assert.False(t, cbc.AEAD)
	assert.Equal(t, []string{"TLS 1.2"}, cbc.Protocols, "limited by the default minimum")

	des := cs[2]
	assert.Equal(t, "DES-CBC3-SHA TLSv1 Kx=RSA Au=RSA Enc=3DES(168) Mac=SHA1", des.Description)
	assert.Equal(t, 112, des.StrengthBits)
	assert.Equal(t, 168, des.AlgBits)
}

// Every suite gets a complete description, whatever its name's shape.
func TestEnabledCiphersDescribesAll(t *testing.T) {
	var ids []uint16
	for _, s := range append(tls.CipherSuites(), tls.InsecureCipherSuites()...) {
		ids = append(ids, s.ID)
	}
	cs := tlsecho.EnabledCiphers(&tls.Config{MinVersion: tls.VersionTLS10, CipherSuites: ids})
	require.Len(t, cs, len(ids))
	for _, c := range cs {
		assert.Positive(t, c.StrengthBits, c.GoName)
		assert.Positive(t, c.AlgBits, c.GoName)
		assert.NotContains(t, c.Encryption, "_", c.GoName)
		assert.Contains(t, []string{"AEAD", "SHA1", "SHA256", "SHA384"}, c.MAC, c.GoName)
		assert.Contains(t, []string{"ECDH", "RSA", "any"}, c.KeyExchange, c.GoName)
		assert.Contains(t, []string{"ECDSA", "RSA", "any"}, c.Auth, c.GoName)
		assert.True(t, strings.HasPrefix(c.Description, c.Name+" TLSv1"), c.Description)
	}
}

func TestCipherJSON(t *testing.T) {
	cs := tlsecho.EnabledCiphers(&tls.Config{MaxVersion: tls.VersionTLS12, CipherSuites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}})
	b, err := json.Marshal(cs)
	require.NoError(t, err)
	var back []map[string]any
	require.NoError(t, json.Unmarshal(b, &back))
	require.Len(t, back, 1)
	assert.Equal(t, "0xc02b", back[0]["id"])
	assert.Equal(t, "ECDHE-ECDSA-AES128-GCM-SHA256", back[0]["name"])
	assert.Equal(t, float64(128), back[0]["strength_bits"])
	assert.Equal(t, "0x1301", tlsecho.SuiteID(tls.TLS_AES_128_GCM_SHA256).String())
}
