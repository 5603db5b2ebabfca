package afalg

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tempFile returns an open file holding data, removed when t ends.
func tempFile(t *testing.T, data []byte) *os.File {
	t.Helper()
	path := filepath.Join(t.TempDir(), "data")
	require.NoError(t, os.WriteFile(path, data, 0o600))
	f, err := os.Open(path)
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	return f
}

func TestGCMFileMatchesSeal(t *testing.T) {
	backends(t, "aead", "gcm(aes)", func(t *testing.T, b Backend) {
		key, nonce := message(16), message(12)
		g := newGCM(t, b, key, 16)
		for _, aad := range [][]byte{nil, message(16), message(13)} {
			for _, n := range []int{0, 1, 15, 16, 17, 4095, 4096, 4097, 65536, 65537, 150000} {
				pt := message(n)
				f := tempFile(t, pt)
				// The file offset is not where sending starts, and stays put.
				_, err := f.Seek(7, io.SeekStart)
				require.NoError(t, err)

				ct, err := g.SealFile(nonce, f, aad)
				require.NoError(t, err, "%d bytes", n)
				require.Equal(t, stdGCM(key, 16, nonce, pt, aad), ct, "%d bytes, %d of AAD", n, len(aad))
				pos, err := f.Seek(0, io.SeekCurrent)
				require.NoError(t, err)
				require.EqualValues(t, 7, pos, "file offset moved")

				back, err := g.OpenFile(nonce, tempFile(t, ct), aad)
				require.NoError(t, err, "%d bytes", n)
				require.Equal(t, pt, back, "%d bytes", n)
			}
		}
	})
}

func TestGCMFileBadInput(t *testing.T) {
	backends(t, "aead", "gcm(aes)", func(t *testing.T, b Backend) {
		key, nonce := message(16), message(12)
		g := newGCM(t, b, key, 16)

		ct, err := g.SealFile(nonce, tempFile(t, []byte("Test AES-GCM with sendfile\n")), []byte("aad"))
		require.NoError(t, err)
		ct[3] ^= 1
		_, err = g.OpenFile(nonce, tempFile(t, ct), []byte("aad"))
		assert.ErrorIs(t, err, ErrAuth)

		short := tempFile(t, make([]byte, 15))
		_, err = g.OpenFile(nonce, short, nil)
		assert.ErrorContains(t, err, "is 15 bytes long, shorter than the 16-byte tag")

		_, err = g.SealFile(nonce[:8], short, nil)
		assert.EqualError(t, err, "afalg: gcm(aes) nonce is 8 bytes long, want 12")

		r, w, err := os.Pipe()
		require.NoError(t, err)
		defer r.Close()
		defer w.Close()
		_, err = g.SealFile(nonce, r, nil)
		assert.ErrorContains(t, err, "is not a regular file")

		closed := tempFile(t, nil)
		closed.Close()
		_, err = g.SealFile(nonce, closed, nil)
		assert.Error(t, err)
	})
}
