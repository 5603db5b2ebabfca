package sendfile_test

import (
	"crypto/sha256"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// sizes straddle a page, and the last is a megabyte plus an odd tail.
var sizes = []int64{0, 1, 4095, 4096, 4097, 1<<20 + 7}

// writeData creates a file of size pseudo-random bytes (the same bytes for
// the same seed) in dir and returns its path.
func writeData(tb testing.TB, dir string, size int64, seed byte) string {
	tb.Helper()
	path := filepath.Join(dir, "src")
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	if _, err := io.CopyN(f, rand.NewChaCha8([32]byte{seed}), size); err != nil {
		tb.Fatal(err)
	}
	return path
}

// sumFile returns the sha256 of the file at path.
func sumFile(tb testing.TB, path string) [sha256.Size]byte {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		tb.Fatal(err)
	}
	return [sha256.Size]byte(h.Sum(nil))
}

// warmUp makes the process's one-time descriptors before a test counts
// them: the runtime's network poller (an epoll instance and an eventfd).
func warmUp(tb testing.TB) {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	done := receiveOne(ln, filepath.Join(tb.TempDir(), "warm-up"))
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		tb.Fatal(err)
	}
	conn.Write([]byte("warm-up"))
	conn.Close()
	if r := <-done; r.err != nil {
		tb.Fatal(r.err)
	}
}
