//go:build !solution

package gcmfile

import (
	"errors"

	"github.com/sockbook/sockbook/pkg/afalg"
)

// Seal encrypts the file src with g into a new file dst: the header, then
// the ciphertext and tag of g.SealFile.
func Seal(g *afalg.GCM, src, dst string) error {
	return errors.ErrUnsupported // TODO
}

// Open decrypts the sealed file src with g into a new file dst. On any
// failure dst is not created.
func Open(g *afalg.GCM, src, dst string) error {
	return errors.ErrUnsupported // TODO
}
