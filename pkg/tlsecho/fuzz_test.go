package tlsecho_test

import (
	"crypto/tls"
	"slices"
	"testing"

	"github.com/sockbook/sockbook/pkg/tlsecho"
)

// ParseCiphers and ParseVersion read user input: whatever it is, they
// return an error or a valid answer, never panic.
func FuzzParseCiphers(f *testing.F) {
	for _, s := range []string{
		"ECDH-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA",
		"TLS_AES_128_GCM_SHA256", "RC4-SHA", "HIGH:!aNULL", "", ":,: ", "TLSv1.2", "PROTOCOL_TLSv1",
	} {
		f.Add(s)
	}
	secure := tls.CipherSuites()
	f.Fuzz(func(t *testing.T, s string) {
		ids, err := tlsecho.ParseCiphers(s)
		if err == nil {
			if len(ids) == 0 {
				t.Fatalf("ParseCiphers(%q) returned no suites and no error", s)
			}
			for _, id := range ids {
				i := slices.IndexFunc(secure, func(c *tls.CipherSuite) bool { return c.ID == id })
				if i < 0 || slices.Contains(secure[i].SupportedVersions, tls.VersionTLS13) {
					t.Fatalf("ParseCiphers(%q) returned %#04x, not a secure TLS 1.2 suite", s, id)
				}
			}
		}
		if v, err := tlsecho.ParseVersion(s); err == nil && (v < tls.VersionTLS10 || v > tls.VersionTLS13) {
			t.Fatalf("ParseVersion(%q) = %#04x", s, v)
		}
	})
}
