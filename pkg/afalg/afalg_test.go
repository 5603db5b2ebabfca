package afalg

import (
	"os"
	"testing"

	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	// The runtime opens its poller's two descriptors (an epoll and an
	// eventfd) on first use, which may fall inside a test that counts
	// descriptors. A pipe makes that happen now.
	if r, w, err := os.Pipe(); err == nil {
		r.Close()
		w.Close()
	}
	goleak.VerifyTestMain(m)
}

// requireAFALG skips t, or fails it where SOCKBOOK_REQUIRE promises afalg,
// unless the kernel offers the algorithm name of type typ over AF_ALG. The
// reason given is the kernel's own error.
func requireAFALG(t testing.TB, typ, name string) {
	t.Helper()
	s, err := openAlg(typ, name)
	if err != nil {
		testenv.Skip(t, testenv.AFALG, err.Error())
		return
	}
	s.close()
}

// backends runs f once per backend: on Go always, and on Kernel where the
// kernel offers the algorithm (see requireAFALG). Each run checks that no
// descriptor leaks.
func backends(t *testing.T, typ, name string, f func(t *testing.T, b Backend)) {
	t.Helper()
	t.Run("go", func(t *testing.T) {
		testenv.CheckFDs(t)
		f(t, Go)
	})
	t.Run("kernel", func(t *testing.T) {
		requireAFALG(t, typ, name)
		testenv.CheckFDs(t)
		f(t, Kernel)
	})
}

// newGCM returns NewGCM(b, key, tagSize), failing tb on error, and closes
// it when tb ends.
func newGCM(tb testing.TB, b Backend, key []byte, tagSize int) *GCM {
	tb.Helper()
	g, err := NewGCM(b, key, tagSize)
	require.NoError(tb, err)
	tb.Cleanup(func() { g.Close() })
	return g
}

// sizes are the message lengths tested: empty, around the AES block size,
// around page boundaries, and beyond the 64 KiB chunk size.
var sizes = []int{0, 1, 15, 16, 17, 31, 32, 33, 255, 4095, 4096, 4097, 8191, 8192, 8193, 65535, 65536, 65537, 3*65536 + 7}

// message returns n bytes of a pattern that is not periodic in 16-byte
// blocks, so reordered or repeated blocks would show.
func message(n int) []byte {
	b := make([]byte, n)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return b
}
