package hashfile

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/pkg/afalg"
)

// kernelSHA256 reports why the kernel cannot hash with SHA-256 over
// AF_ALG here, or nil if it can.
func kernelSHA256() error {
	h, err := afalg.NewHash(afalg.Kernel, "sha256", nil)
	if err != nil {
		return err
	}
	return h.Close()
}

// backends runs f for each backend: Go everywhere, and the kernel where it
// offers sha256 over AF_ALG (elsewhere that subtest skips, saying why, and
// fails where SOCKBOOK_REQUIRE promises AF_ALG).
func backends(t *testing.T, f func(t *testing.T, b afalg.Backend)) {
	for _, b := range []afalg.Backend{afalg.Go, afalg.Kernel} {
		t.Run(b.String(), func(t *testing.T) {
			if b == afalg.Kernel {
				if err := kernelSHA256(); err != nil {
					testenv.Skip(t, testenv.AFALG, "sha256 over AF_ALG: "+err.Error())
				}
			}
			f(t, b)
		})
	}
}

func newHash(t *testing.T, b afalg.Backend, name string, key []byte) *afalg.Hash {
	t.Helper()
	h, err := afalg.NewHash(b, name, key)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	if h.Backend() != b {
		t.Fatalf("asked for backend %v, got %v", b, h.Backend())
	}
	return h
}

func random(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rand.IntN(256))
	}
	return b
}

func write(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestHashFile(t *testing.T) {
	backends(t, func(t *testing.T, b afalg.Backend) {
		h := newHash(t, b, "sha256", nil)
		dir := t.TempDir()
		// Around SHA-256's 64-byte block and its padding (a message of 56 or
		// more bytes in its last block needs one more block), and large
		// enough to be read in many pieces.
		for _, n := range []int{0, 1, 55, 56, 63, 64, 65, 4096, 1<<20 + 3} {
			data := random(n)
			p := write(t, dir, fmt.Sprint(n), data)
			got, err := HashFile(h, p)
			if err != nil {
				t.Fatalf("task 1: HashFile of a %d-byte file: %v", n, err)
			}
			if want := sha256.Sum256(data); !bytes.Equal(got, want[:]) {
				t.Errorf("task 1: HashFile of a %d-byte file = %x, crypto/sha256 says %x: hash every byte of the file, once", n, got, want)
			}
		}
		// The same file twice with one Hash: each call starts afresh.
		p := write(t, dir, "again", []byte("again"))
		first, err1 := HashFile(h, p)
		second, err2 := HashFile(h, p)
		if err1 != nil || err2 != nil || !bytes.Equal(first, second) {
			t.Errorf("task 1: the same file hashed twice with one Hash: %x, %v then %x, %v", first, err1, second, err2)
		}
		// HashFile computes whatever h computes: here an HMAC.
		key := []byte("a key for the HMAC")
		hm := newHash(t, b, "hmac(sha256)", key)
		data := random(10000)
		got, err := HashFile(hm, write(t, dir, "mac", data))
		mac := hmac.New(sha256.New, key)
		mac.Write(data)
		if err != nil || !bytes.Equal(got, mac.Sum(nil)) {
			t.Errorf("task 1: HashFile with an hmac(sha256) Hash = %x, %v; crypto/hmac says %x: use the Hash you are given", got, err, mac.Sum(nil))
		}
	})
}

func TestHashFileErrors(t *testing.T) {
	backends(t, func(t *testing.T, b afalg.Backend) {
		h := newHash(t, b, "sha256", nil)
		dir := t.TempDir()
		missing := filepath.Join(dir, "no such file")
		if _, err := HashFile(h, missing); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
			t.Errorf("task 1: HashFile of a missing file: %v; want an error naming %s and wrapping fs.ErrNotExist", err, missing)
		}
		if sum, err := HashFile(h, dir); err == nil || !strings.Contains(err.Error(), dir) {
			t.Errorf("task 1: HashFile of a directory = %x, %v; want an error naming %s", sum, err, dir)
		}
		// After errors, the Hash still works.
		p := write(t, dir, "ok", []byte("ok"))
		want := sha256.Sum256([]byte("ok"))
		if got, err := HashFile(h, p); err != nil || !bytes.Equal(got, want[:]) {
			t.Errorf("task 1: HashFile after failed calls = %x, %v; want %x", got, err, want)
		}
	})
}

func TestSumLine(t *testing.T) {
	d := sha256.Sum256([]byte("x"))
	hexd := hex.EncodeToString(d[:])
	for _, tc := range []struct{ name, want, why string }{
		{"notes.txt", hexd + "  notes.txt\n", "lowercase hex, two spaces, the name, a line end"},
		{"dir/with space.txt", hexd + "  dir/with space.txt\n", "spaces need no escape: the name is the rest of the line"},
		{"-", hexd + "  -\n", ""},
		{"a\nb", `\` + hexd + `  a\nb` + "\n", `a newline in a name would end the line: write \n and start the line with \`},
		{`c\d`, `\` + hexd + `  c\\d` + "\n", `so a backslash itself becomes \\`},
		{"e\rf", `\` + hexd + `  e\rf` + "\n", `and a carriage return \r, as coreutils 9 does`},
		{"\\\n", `\` + hexd + `  \\\n` + "\n", "both, in that order"},
	} {
		if got := SumLine(d[:], tc.name); got != tc.want {
			t.Errorf("task 2: SumLine(%q)\n got %q\nwant %q (%s)", tc.name, got, tc.want, tc.why)
		}
	}
}

func TestSumFiles(t *testing.T) {
	dir := t.TempDir()
	a := write(t, dir, "a", []byte("alpha"))
	nl := write(t, dir, "new\nline", []byte("beta"))
	big := write(t, dir, "big", bytes.Repeat([]byte("sockbook"), 1<<17))
	missing := filepath.Join(dir, "missing")
	var want strings.Builder
	for _, f := range []struct {
		path string
		data []byte
	}{{a, []byte("alpha")}, {nl, []byte("beta")}, {big, bytes.Repeat([]byte("sockbook"), 1<<17)}} {
		d := sha256.Sum256(f.data)
		want.WriteString(SumLine(d[:], f.path))
	}
	backends(t, func(t *testing.T, b afalg.Backend) {
		var out bytes.Buffer
		err := SumFiles(b, &out, a, missing, nl, dir, big)
		if got := out.String(); got != want.String() {
			t.Errorf("task 3: SumFiles output\n%s\nwant\n%s\n(one line per file that could be hashed, in order; the others are left out, not the end of the work)", got, want.String())
		}
		if err == nil {
			t.Fatal("task 3: SumFiles with a missing file and a directory among the paths returned nil")
		}
		for _, bad := range []string{missing, dir} {
			if !strings.Contains(err.Error(), bad) {
				t.Errorf("task 3: SumFiles: error %q does not name %s, which could not be hashed: report every failed file", err, bad)
			}
		}
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("task 3: SumFiles: error %q does not wrap the missing file's fs.ErrNotExist (errors.Join keeps each)", err)
		}
		out.Reset()
		if err := SumFiles(b, &out, a); err != nil || out.String() != strings.SplitAfter(want.String(), "\n")[0] {
			t.Errorf("task 3: SumFiles of one good file: %q, %v", out.String(), err)
		}
		out.Reset()
		if err := SumFiles(b, &out); err != nil || out.Len() != 0 {
			t.Errorf("task 3: SumFiles of no files: %q, %v; want nothing and nil", out.String(), err)
		}
	})
}

func TestSumFilesUsesTheBackend(t *testing.T) {
	// Where the kernel has no AF_ALG, asking for the kernel must fail, not
	// quietly compute in Go: the caller asked for the kernel. Where it has,
	// the kernel's sums must be right.
	why := kernelSHA256()
	p := write(t, t.TempDir(), "f", []byte("data"))
	var out bytes.Buffer
	err := SumFiles(afalg.Kernel, &out, p)
	if why == nil {
		d := sha256.Sum256([]byte("data"))
		if err != nil || out.String() != SumLine(d[:], p) {
			t.Errorf("task 3: SumFiles on the kernel backend: %q, %v; want %q", out.String(), err, SumLine(d[:], p))
		}
		return
	}
	if !errors.Is(err, afalg.ErrUnsupported) {
		t.Errorf("task 3: SumFiles on the kernel backend, where the kernel cannot (%v): %v, output %q; want an error wrapping afalg.ErrUnsupported: pass the backend to afalg.NewHash", why, err, out.String())
	}
	if out.Len() != 0 {
		t.Errorf("task 3: SumFiles on an unavailable backend wrote %q", out.String())
	}
}
