package tlsecho

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// The file names WritePEM uses, those of the cheat sheet's openssl commands.
const (
	CertFile = "cert.pem"
	KeyFile  = "key.pem"
)

// WritePEM writes cert's chain to dir/cert.pem and its private key, in
// PKCS #8 form, to dir/key.pem, and returns the two paths. The key file is
// readable by its owner only (mode 0600), even if it existed before with a
// wider mode. tls.LoadX509KeyPair reads the pair back; openssl s_client
// trusts the server with -CAfile dir/cert.pem.
func WritePEM(dir string, cert tls.Certificate) (certPath, keyPath string, err error) {
	if len(cert.Certificate) == 0 {
		return "", "", errors.New("tlsecho: write PEM: certificate has an empty chain")
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(cert.PrivateKey)
	if err != nil {
		return "", "", fmt.Errorf("tlsecho: write PEM: private key of type %T: %w", cert.PrivateKey, err)
	}
	var chain []byte
	for _, der := range cert.Certificate {
		chain = append(chain, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...)
	}
	key := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})

	certPath = filepath.Join(dir, CertFile)
	keyPath = filepath.Join(dir, KeyFile)
	// The key goes first: a reader who finds cert.pem may assume the pair
	// is complete.
	if err := writeFile(keyPath, key, 0o600); err != nil {
		return "", "", err
	}
	if err := writeFile(certPath, chain, 0o644); err != nil {
		return "", "", err
	}
	return certPath, keyPath, nil
}

// writeFile writes data to path and sets its mode to perm, which
// os.WriteFile does not do for a file that already exists.
func writeFile(path string, data []byte, perm os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return fmt.Errorf("tlsecho: write PEM: %w", err)
	}
	// Tighten the mode before the secret is written, not after.
	err = f.Chmod(perm)
	if err == nil {
		_, err = f.Write(data)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("tlsecho: write PEM %s: %w", path, err)
	}
	return nil
}
