//go:build solution

// Package hashfile is sha256sum over the kernel's crypto API: digests of
// files computed through AF_ALG where the kernel offers it.
package hashfile

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/sockbook/sockbook/pkg/afalg"
)

// HashFile returns the digest, computed by h, of the file at path.
func HashFile(h *afalg.Hash, path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err // *fs.PathError already names path
	}
	defer f.Close()
	// Reading a directory fails, but with an error that depends on how the
	// backend reads; say plainly what is wrong instead.
	if fi, err := f.Stat(); err != nil {
		return nil, err
	} else if fi.IsDir() {
		return nil, fmt.Errorf("hash %s: is a directory", path)
	}
	sum, err := h.SumReader(f)
	if err != nil {
		return nil, fmt.Errorf("hash %s: %w", path, err)
	}
	return sum, nil
}

// escaper escapes what would break a line of sha256sum's output.
var escaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, "\r", `\r`)

// SumLine formats digest and name as one line of sha256sum's output,
// with its "\n".
func SumLine(digest []byte, name string) string {
	if strings.ContainsAny(name, "\\\n\r") {
		// A leading backslash tells `sha256sum -c` the name is escaped.
		return `\` + hex.EncodeToString(digest) + "  " + escaper.Replace(name) + "\n"
	}
	return hex.EncodeToString(digest) + "  " + name + "\n"
}

// SumFiles writes to w a sha256sum line for each file of paths, hashed with
// SHA-256 on backend b.
func SumFiles(b afalg.Backend, w io.Writer, paths ...string) error {
	h, err := afalg.NewHash(b, "sha256", nil)
	if err != nil {
		return fmt.Errorf("sha256 on backend %v: %w", b, err)
	}
	defer h.Close()
	var errs []error
	for _, p := range paths {
		sum, err := HashFile(h, p)
		if err != nil {
			errs = append(errs, err) // this file only: the others are still summed
			continue
		}
		if _, err := io.WriteString(w, SumLine(sum, p)); err != nil {
			return fmt.Errorf("write the sum of %s: %w", p, err)
		}
	}
	return errors.Join(errs...)
}
