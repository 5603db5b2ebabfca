package gcmfile

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/pkg/afalg"
)

var key = []byte("a 32-byte key for AES-256-GCM!!!")

// reference is crypto/cipher's AES-GCM under key: the oracle every
// backend must agree with.
func reference(t *testing.T) cipher.AEAD {
	t.Helper()
	block, err := aes.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	g, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// backends runs f with a GCM of each backend: Go everywhere, and the
// kernel's AF_ALG where it offers gcm(aes) (elsewhere that subtest skips,
// saying why, and fails where SOCKBOOK_REQUIRE promises AF_ALG).
func backends(t *testing.T, f func(t *testing.T, g *afalg.GCM)) {
	for _, b := range []afalg.Backend{afalg.Go, afalg.Kernel} {
		t.Run(b.String(), func(t *testing.T) {
			g, err := afalg.NewGCM(b, key, 16)
			if err != nil {
				if b == afalg.Kernel && errors.Is(err, errors.ErrUnsupported) {
					testenv.Skip(t, testenv.AFALG, "gcm(aes) over AF_ALG: "+err.Error())
				}
				t.Fatal(err)
			}
			defer g.Close()
			f(t, g)
		})
	}
}

// file writes data to a new file in a fresh directory.
func file(t *testing.T, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "plain")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func random(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rand.IntN(256))
	}
	return b
}

// TestSealMatchesCryptoCipher: task 1, Seal writes the header and what
// crypto/cipher can open with the header as associated data.
func TestSealMatchesCryptoCipher(t *testing.T) {
	backends(t, func(t *testing.T, g *afalg.GCM) {
		ref := reference(t)
		for _, n := range []int{0, 1, 4096, 1<<20 + 3} {
			plain := random(n)
			src := file(t, plain)
			dst := src + ".sealed"
			if err := Seal(g, src, dst); err != nil {
				t.Fatalf("Seal(%d-byte file): %v", n, err)
			}
			b, err := os.ReadFile(dst)
			if err != nil {
				t.Fatalf("reading what Seal wrote: %v", err)
			}
			if len(b) != HeaderLen+n+16 {
				t.Fatalf("sealed %d-byte file is %d bytes, want %d: header, ciphertext, 16-byte tag", n, len(b), HeaderLen+n+16)
			}
			if string(b[:len(Magic)]) != Magic {
				t.Fatalf("sealed file starts with %q, want %q", b[:len(Magic)], Magic)
			}
			got, err := ref.Open(nil, b[len(Magic):HeaderLen], b[HeaderLen:], b[:HeaderLen])
			if err != nil {
				t.Fatalf("crypto/cipher cannot open what Seal wrote for a %d-byte file (%v): the nonce is the 12 bytes after Magic and the associated data the whole header", n, err)
			}
			if !bytes.Equal(got, plain) {
				t.Fatalf("crypto/cipher opened the sealed %d-byte file to different bytes", n)
			}
			if st, err := os.Stat(dst); err == nil && st.Mode().Perm()&0o077 != 0 {
				t.Errorf("the sealed file has mode %v; ciphertext is not secret, but a half-written file should not be readable by others either: create it 0600", st.Mode().Perm())
			}
		}
	})
}

// TestFreshNonce: task 1, two Seals of the same file use different nonces.
func TestFreshNonce(t *testing.T) {
	backends(t, func(t *testing.T, g *afalg.GCM) {
		src := file(t, []byte("the same plaintext, sealed twice"))
		if err := Seal(g, src, src+".1"); err != nil {
			t.Fatal(err)
		}
		if err := Seal(g, src, src+".2"); err != nil {
			t.Fatal(err)
		}
		a, _ := os.ReadFile(src + ".1")
		b, _ := os.ReadFile(src + ".2")
		if len(a) >= HeaderLen && len(b) >= HeaderLen && bytes.Equal(a[:HeaderLen], b[:HeaderLen]) {
			t.Fatalf("both seals use nonce % x: a nonce must never repeat under one key (draw it from crypto/rand); a repeat reveals the XOR of the plaintexts and lets tags be forged", a[len(Magic):HeaderLen])
		}
	})
}

// TestOpenRoundTrip: task 2, Open reads what crypto/cipher sealed, and
// what Seal wrote.
func TestOpenRoundTrip(t *testing.T) {
	backends(t, func(t *testing.T, g *afalg.GCM) {
		plain := random(70000)
		header := append([]byte(Magic), random(NonceSize)...)
		sealed := reference(t).Seal(bytes.Clone(header), header[len(Magic):], plain, header)
		src := file(t, sealed)
		if err := Open(g, src, src+".out"); err != nil {
			t.Fatalf("Open(a file sealed by crypto/cipher): %v", err)
		}
		if got, _ := os.ReadFile(src + ".out"); !bytes.Equal(got, plain) {
			t.Fatalf("Open wrote %d bytes that differ from the %d sealed", len(got), len(plain))
		}
		if err := Seal(g, src+".out", src+".again"); err != nil {
			t.Fatal(err)
		}
		if err := Open(g, src+".again", src+".back"); err != nil {
			t.Fatalf("Open(what Seal wrote): %v", err)
		}
		if got, _ := os.ReadFile(src + ".back"); !bytes.Equal(got, plain) {
			t.Fatal("Seal then Open does not give back the plaintext")
		}
	})
}

// TestOpenRejects: task 3, a file that is short, not sealed, tampered with
// or sealed under another key is an error naming it, and no output appears.
func TestOpenRejects(t *testing.T) {
	backends(t, func(t *testing.T, g *afalg.GCM) {
		header := append([]byte(Magic), random(NonceSize)...)
		good := reference(t).Seal(bytes.Clone(header), header[len(Magic):], []byte("attack at dawn"), header)
		flip := func(i int) []byte { b := bytes.Clone(good); b[i] ^= 1; return b }
		other, _ := aes.NewCipher([]byte("another key of 16"[:16]))
		otherGCM, _ := cipher.NewGCM(other)
		for name, b := range map[string][]byte{
			"an empty file":                   {},
			"a header only":                   good[:HeaderLen],
			"a header and 15 bytes":           good[:HeaderLen+15],
			"magic SBG2":                      append([]byte("SBG2"), good[4:]...),
			"a changed nonce":                 flip(len(Magic)),
			"a changed ciphertext":            flip(HeaderLen),
			"a changed tag":                   flip(len(good) - 1),
			"a file cut by one byte":          good[:len(good)-1],
			"a file sealed under another key": otherGCM.Seal(bytes.Clone(header), header[len(Magic):], []byte("attack at dawn"), header),
		} {
			src := file(t, b)
			dst := src + ".out"
			err := Open(g, src, dst)
			if err == nil {
				t.Errorf("Open(%s): no error", name)
				continue
			}
			if !strings.Contains(err.Error(), src) {
				t.Errorf("Open(%s): error %q should name the file %s", name, err, src)
			}
			if _, err := os.Stat(dst); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("Open(%s) failed but %s exists: write the output only once the tag is checked", name, dst)
			}
		}
	})
}

// TestSealMissingSource: task 3, a source that does not exist is an error
// naming it, wrapping fs.ErrNotExist, and creates nothing.
func TestSealMissingSource(t *testing.T) {
	backends(t, func(t *testing.T, g *afalg.GCM) {
		src := filepath.Join(t.TempDir(), "no-such-file")
		err := Seal(g, src, src+".sealed")
		if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), src) {
			t.Errorf("Seal(missing file) = %v; want an error naming %s and wrapping fs.ErrNotExist", err, src)
		}
		if _, err := os.Stat(src + ".sealed"); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Seal(missing file) created %s.sealed", src)
		}
	})
}
