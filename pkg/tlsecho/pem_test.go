package tlsecho_test

import (
	"crypto"
	"crypto/tls"
	"os"
	"path/filepath"
	"testing"

	"github.com/sockbook/sockbook/pkg/tlsecho"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWritePEMRoundTrip(t *testing.T) {
	forEachKeyType(t, func(t *testing.T, _ tlsecho.KeyType, cert tls.Certificate) {
		dir := t.TempDir()
		certPath, keyPath, err := tlsecho.WritePEM(dir, cert)
		require.NoError(t, err)
		assert.Equal(t, filepath.Join(dir, "cert.pem"), certPath)
		assert.Equal(t, filepath.Join(dir, "key.pem"), keyPath)

		fi, err := os.Stat(keyPath)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "key file mode")
		fi, err = os.Stat(certPath)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o644), fi.Mode().Perm(), "certificate file mode")

		loaded, err := tls.LoadX509KeyPair(certPath, keyPath)
		require.NoError(t, err)
		assert.Equal(t, cert.Certificate, loaded.Certificate)
		assert.True(t, cert.PrivateKey.(interface{ Equal(crypto.PrivateKey) bool }).Equal(loaded.PrivateKey), "loaded key differs")
	})
}

// A key file left with a wider mode, say by an earlier tool, is tightened.
func TestWritePEMTightensExistingKeyFile(t *testing.T) {
	cert, err := tlsecho.NewSelfSigned(tlsecho.ECDSAP256)
	require.NoError(t, err)
	dir := t.TempDir()
	keyPath := filepath.Join(dir, "key.pem")
	require.NoError(t, os.WriteFile(keyPath, []byte("old"), 0o644))
	require.NoError(t, os.Chmod(keyPath, 0o644))
	_, _, err = tlsecho.WritePEM(dir, cert)
	require.NoError(t, err)
	fi, err := os.Stat(keyPath)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
}

func TestWritePEMBadInput(t *testing.T) {
	cert, err := tlsecho.NewSelfSigned(tlsecho.ECDSAP256)
	require.NoError(t, err)
	missing := filepath.Join(t.TempDir(), "no", "such", "dir")
	_, _, err = tlsecho.WritePEM(missing, cert)
	assert.ErrorContains(t, err, missing)

	_, _, err = tlsecho.WritePEM(t.TempDir(), tls.Certificate{})
	assert.ErrorContains(t, err, "empty chain")

	_, _, err = tlsecho.WritePEM(t.TempDir(), tls.Certificate{Certificate: cert.Certificate, PrivateKey: "not a key"})
	assert.ErrorContains(t, err, "private key of type string")
}
