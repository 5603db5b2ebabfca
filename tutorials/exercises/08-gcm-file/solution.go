//go:build solution

package gcmfile

import (
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"

	"github.com/sockbook/sockbook/pkg/afalg"
)

// Seal encrypts the file src with g into a new file dst: the header, then
// the ciphertext and tag of g.SealFile.
func Seal(g *afalg.GCM, src, dst string) error {
	f, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("gcmfile: seal: %w", err)
	}
	defer f.Close()
	// A fresh random nonce per file: GCM with a repeated nonce and key
	// gives away the XOR of the plaintexts and lets tags be forged, the
	// mistake of the cheat sheet's benchmark.
	header := make([]byte, HeaderLen)
	copy(header, Magic)
	if _, err := rand.Read(header[len(Magic):]); err != nil {
		return fmt.Errorf("gcmfile: seal %s: nonce: %w", src, err)
	}
	sealed, err := g.SealFile(header[len(Magic):], f, header)
	if err != nil {
		return fmt.Errorf("gcmfile: seal %s: %w", src, err)
	}
	return writeNew(dst, header, sealed)
}

// Open decrypts the sealed file src with g into a new file dst. On any
// failure dst is not created.
func Open(g *afalg.GCM, src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return fmt.Errorf("gcmfile: open: %w", err)
	}
	if len(b) < HeaderLen+g.TagSize() {
		return fmt.Errorf("gcmfile: open %s: %d bytes, a sealed file has at least %d", src, len(b), HeaderLen+g.TagSize())
	}
	if string(b[:len(Magic)]) != Magic {
		return fmt.Errorf("gcmfile: open %s: starts with %q, not %q: not a sealed file", src, b[:len(Magic)], Magic)
	}
	header := b[:HeaderLen]
	plain, err := g.Open(header[len(Magic):], b[HeaderLen:], header)
	if err != nil {
		return fmt.Errorf("gcmfile: open %s: %w", src, err)
	}
	return writeNew(dst, plain)
}

// writeNew writes the parts to a temporary file beside dst and renames it
// into place, so that dst never exists half-written.
func writeNew(dst string, parts ...[]byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".*")
	if err != nil {
		return fmt.Errorf("gcmfile: %w", err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	for _, p := range parts {
		if _, err := tmp.Write(p); err != nil {
			tmp.Close()
			return fmt.Errorf("gcmfile: write %s: %w", dst, err)
		}
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("gcmfile: write %s: %w", dst, err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return fmt.Errorf("gcmfile: %w", err)
	}
	return nil
}
