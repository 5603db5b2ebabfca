package sendfile

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A source that ends before the size taken at the start (another process
// truncated it) is an error, not a silent short copy or an endless loop.
// The size is overstated here rather than raced with a truncation.
func TestShortSourceIsAnError(t *testing.T) {
	dir := t.TempDir()
	srcPath := filepath.Join(dir, "src")
	require.NoError(t, os.WriteFile(srcPath, make([]byte, 100), 0o644))
	src, err := os.Open(srcPath)
	require.NoError(t, err)
	defer src.Close()

	for name, copyFn := range map[string]func(out *os.File, st *Stats) error{
		"sendfile": func(out *os.File, st *Stats) error {
			rc, _ := out.SyscallConn()
			var off int64
			return sendfileRange(rc, src, &off, 200, 64, st)
		},
		"copy_file_range": func(out *os.File, st *Stats) error {
			rc, _ := out.SyscallConn()
			var off int64
			return copyFileRange(rc, src, &off, 200, 64, st)
		},
		"io.Copy":    func(out *os.File, st *Stats) error { return ioCopy(out, src, 200, st) },
		"read/write": func(out *os.File, st *Stats) error { return readWrite(out, src, 200, 64, st) },
	} {
		out, err := os.Create(filepath.Join(dir, "dst"))
		require.NoError(t, err)
		var st Stats
		err = copyFn(out, &st)
		out.Close()
		assert.ErrorIs(t, err, io.ErrUnexpectedEOF, name)
		assert.Equal(t, int64(100), st.Bytes, name)
	}
}
