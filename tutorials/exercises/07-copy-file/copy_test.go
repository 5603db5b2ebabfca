package copyfile

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func source(t *testing.T, size int, perm os.FileMode) (string, []byte) {
	t.Helper()
	data := make([]byte, size)
	for i := range data {
		data[i] = byte(rand.IntN(256))
	}
	path := filepath.Join(t.TempDir(), "src.bin")
	if err := os.WriteFile(path, data, perm); err != nil {
		t.Fatal(err)
	}
	os.Chmod(path, perm)
	return path, data
}

func TestCopies(t *testing.T) {
	for _, size := range []int{0, 1, 5<<20 + 3} {
		src, data := source(t, size, 0o640)
		dst := filepath.Join(t.TempDir(), "dst.bin")
		// An existing, longer destination must end up truncated.
		os.WriteFile(dst, bytes.Repeat([]byte("old"), size+10), 0o600)
		n, err := CopyFile(dst, src)
		if err != nil {
			t.Fatalf("CopyFile of %d bytes: %v", size, err)
		}
		got, _ := os.ReadFile(dst)
		if n != int64(size) || !bytes.Equal(got, data) {
			t.Fatalf("CopyFile of %d bytes returned %d and left a %d-byte copy that differs", size, n, len(got))
		}
	}
	src, _ := source(t, 10, 0o640)
	dst := filepath.Join(t.TempDir(), "new.bin")
	if _, err := CopyFile(dst, src); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(dst); err != nil || fi.Mode().Perm() != 0o640 {
		t.Errorf("a new copy has mode %v (%v), want -rw-r----- like the source", fi.Mode().Perm(), err)
	}
}

func TestRefusesSameFile(t *testing.T) {
	src, data := source(t, 4096, 0o600)
	link := filepath.Join(t.TempDir(), "hard")
	if err := os.Link(src, link); err != nil {
		t.Fatal(err)
	}
	sym := filepath.Join(t.TempDir(), "sym")
	if err := os.Symlink(src, sym); err != nil {
		t.Fatal(err)
	}
	for _, dst := range []string{src, link, sym} {
		if _, err := CopyFile(dst, src); err == nil {
			t.Errorf("CopyFile(%s, %s) succeeded; it is the same file", dst, src)
		}
		if got, _ := os.ReadFile(src); !bytes.Equal(got, data) {
			t.Fatalf("CopyFile(%s, %s) destroyed the source: %d bytes left of %d", dst, src, len(got), len(data))
		}
	}
}

func TestRefusesSpecialFiles(t *testing.T) {
	for _, src := range []string{t.TempDir(), "/dev/zero"} {
		dst := filepath.Join(t.TempDir(), "dst")
		_, err := CopyFile(dst, src)
		if err == nil {
			t.Errorf("CopyFile from %s succeeded; only regular files can be copied", src)
			continue
		}
		if !strings.Contains(err.Error(), src) {
			t.Errorf("error %q should name the source %s", err, src)
		}
		if _, err := os.Stat(dst); err == nil {
			t.Errorf("CopyFile from %s failed but left %s behind", src, dst)
		}
	}
}

func TestMissingSource(t *testing.T) {
	dir := t.TempDir()
	if _, err := CopyFile(filepath.Join(dir, "dst"), filepath.Join(dir, "nope")); !os.IsNotExist(err) && (err == nil || !strings.Contains(err.Error(), "nope")) {
		t.Errorf("CopyFile from a missing file: %v; want an error naming it", err)
	}
}
