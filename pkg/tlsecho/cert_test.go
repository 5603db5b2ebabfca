package tlsecho_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"net"
	"testing"
	"time"

	"github.com/sockbook/sockbook/pkg/tlsecho"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// forEachKeyType runs test as a subtest per key type, with a fresh
// self-signed certificate of that type.
func forEachKeyType(t *testing.T, test func(t *testing.T, kt tlsecho.KeyType, cert tls.Certificate)) {
	for _, kt := range []tlsecho.KeyType{tlsecho.RSA2048, tlsecho.ECDSAP256} {
		t.Run(kt.String(), func(t *testing.T) {
			cert, err := tlsecho.NewSelfSigned(kt)
			require.NoError(t, err)
			test(t, kt, cert)
		})
	}
}

func TestNewSelfSigned(t *testing.T) {
	forEachKeyType(t, func(t *testing.T, kt tlsecho.KeyType, cert tls.Certificate) {
		leaf := cert.Leaf
		require.NotNil(t, leaf)
		require.Len(t, cert.Certificate, 1)
		assert.Equal(t, cert.Certificate[0], leaf.Raw)

		switch kt {
		case tlsecho.RSA2048:
			key, ok := cert.PrivateKey.(*rsa.PrivateKey)
			require.True(t, ok, "private key is %T", cert.PrivateKey)
			assert.Equal(t, 2048, key.N.BitLen())
			assert.Equal(t, x509.RSA, leaf.PublicKeyAlgorithm)
		case tlsecho.ECDSAP256:
			key, ok := cert.PrivateKey.(*ecdsa.PrivateKey)
			require.True(t, ok, "private key is %T", cert.PrivateKey)
			assert.Equal(t, elliptic.P256(), key.Curve)
			assert.Equal(t, x509.ECDSA, leaf.PublicKeyAlgorithm)
		}
		assert.Equal(t, []string{"localhost"}, leaf.DNSNames)
		require.Len(t, leaf.IPAddresses, 2)
		assert.True(t, leaf.IPAddresses[0].Equal(net.ParseIP("127.0.0.1")))
		assert.True(t, leaf.IPAddresses[1].Equal(net.IPv6loopback))
		assert.True(t, leaf.IsCA)
		assert.Equal(t, leaf.Subject.String(), leaf.Issuer.String(), "self-signed")
		assert.NoError(t, leaf.CheckSignatureFrom(leaf))
		assert.WithinDuration(t, time.Now().Add(365*24*time.Hour), leaf.NotAfter, time.Minute)

		pool, err := tlsecho.CertPool(cert)
		require.NoError(t, err)
		for _, name := range tlsecho.DefaultHosts() {
			_, err := leaf.Verify(x509.VerifyOptions{Roots: pool, DNSName: name})
			assert.NoError(t, err, "verify for %s", name)
		}
		_, err = leaf.Verify(x509.VerifyOptions{Roots: pool, DNSName: "example.com"})
		assert.Error(t, err, "a name not in the certificate must not verify")
		_, err = leaf.Verify(x509.VerifyOptions{Roots: x509.NewCertPool(), DNSName: "localhost"})
		assert.Error(t, err, "an empty pool must not trust the certificate")
	})
}

func TestNewSelfSignedHosts(t *testing.T) {
	cert, err := tlsecho.NewSelfSigned(tlsecho.ECDSAP256, "echo.test", "10.1.2.3")
	require.NoError(t, err)
	assert.Equal(t, []string{"echo.test"}, cert.Leaf.DNSNames)
	require.Len(t, cert.Leaf.IPAddresses, 1)
	assert.Equal(t, "10.1.2.3", cert.Leaf.IPAddresses[0].String())
	assert.Equal(t, "echo.test", cert.Leaf.Subject.CommonName)
}

func TestNewSelfSignedUniqueSerials(t *testing.T) {
	a, err := tlsecho.NewSelfSigned(tlsecho.ECDSAP256)
	require.NoError(t, err)
	b, err := tlsecho.NewSelfSigned(tlsecho.ECDSAP256)
	require.NoError(t, err)
	assert.NotEqual(t, a.Leaf.SerialNumber, b.Leaf.SerialNumber)
	assert.Positive(t, a.Leaf.SerialNumber.Sign())
}

func TestNewSelfSignedBadInput(t *testing.T) {
	for _, tc := range []struct {
		kt    tlsecho.KeyType
		hosts []string
		want  string
	}{
		{tlsecho.ECDSAP256, []string{""}, `host ""`},
		{tlsecho.ECDSAP256, []string{"localhost", "two words"}, `host "two words"`},
		{tlsecho.ECDSAP256, []string{"http://localhost"}, `host "http://localhost"`},
		{tlsecho.KeyType(0), nil, "KeyType(0)"},
		{tlsecho.KeyType(7), nil, "KeyType(7)"},
	} {
		_, err := tlsecho.NewSelfSigned(tc.kt, tc.hosts...)
		require.Error(t, err, "%v %q", tc.kt, tc.hosts)
		assert.Contains(t, err.Error(), tc.want)
	}
}

func TestCertPoolBadInput(t *testing.T) {
	_, err := tlsecho.CertPool()
	assert.ErrorContains(t, err, "no certificates")
	_, err = tlsecho.CertPool(tls.Certificate{})
	assert.ErrorContains(t, err, "certificate 0: empty certificate chain")
	_, err = tlsecho.CertPool(tls.Certificate{Certificate: [][]byte{[]byte("not DER")}})
	assert.ErrorContains(t, err, "certificate 0: parse leaf")
}
