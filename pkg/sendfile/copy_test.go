package sendfile_test

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/pkg/sendfile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

var fileMethods = []sendfile.Method{sendfile.Sendfile, sendfile.CopyFileRange, sendfile.IOCopy, sendfile.ReadWrite}

func TestCopyFileEveryMethodAndSize(t *testing.T) {
	testenv.CheckFDs(t)
	for _, m := range fileMethods {
		for _, chunk := range []int{0, 4096} {
			for _, size := range sizes {
				t.Run(fmt.Sprintf("%v/chunk=%d/size=%d", m, chunk, size), func(t *testing.T) {
					dir := t.TempDir()
					src := writeData(t, dir, size, byte(size))
					dst := filepath.Join(dir, "dst")

					st, err := sendfile.Copier{Method: m, Chunk: chunk}.CopyFile(dst, src)
					require.NoError(t, err)
					assert.Equal(t, size, st.Bytes)
					assert.Equal(t, sumFile(t, src), sumFile(t, dst), "sha256 of the copy")
					assert.Equal(t, m, st.Method, "no fallback between two files in one directory")
					assert.NoError(t, st.Fallback)

					if m == sendfile.IOCopy {
						assert.Zero(t, st.Calls, "io.Copy's calls are the standard library's")
						return
					}
					// Between regular files every call moves its full
					// count, so the number of calls is known.
					c := int64(chunk)
					if c == 0 {
						c = sendfile.DefaultChunk
					}
					assert.Equal(t, int((size+c-1)/c), st.Calls)
					assert.Equal(t, int(min(size, c)), st.Largest)
					if st.Kernel.Measured {
						// Each sendfile or copy_file_range call is one
						// read-side and one write-side call to the
						// kernel; each read is matched by one write.
						assert.Equal(t, int64(st.Calls+st.Retries), st.Kernel.ReadCalls, "kernel read-side calls")
						assert.Equal(t, int64(st.Calls+st.Retries), st.Kernel.WriteCalls, "kernel write-side calls")
					}
				})
			}
		}
	}
}

// io.Copy between two *os.File values takes the copy_file_range fast path:
// the kernel sees a call or two where a read/write loop makes hundreds.
func TestIOCopyTakesTheFastPath(t *testing.T) {
	dir := t.TempDir()
	src := writeData(t, dir, 4<<20, 1)

	fast, err := sendfile.Copier{Method: sendfile.IOCopy}.CopyFile(filepath.Join(dir, "fast"), src)
	require.NoError(t, err)
	slow, err := sendfile.Copier{Method: sendfile.ReadWrite, Chunk: 32 << 10}.CopyFile(filepath.Join(dir, "slow"), src)
	require.NoError(t, err)
	if !fast.Kernel.Measured {
		testenv.Skip(t, testenv.IOAcct, "the kernel keeps no per-thread I/O accounting (/proc/thread-self/io)")
	}
	t.Logf("io.Copy: %+v; read/write: %+v", fast.Kernel, slow.Kernel)
	assert.Equal(t, int64(128), slow.Kernel.ReadCalls, "read/write loop: 4 MiB in 32 KiB reads")
	assert.Equal(t, int64(128), slow.Kernel.WriteCalls)
	assert.LessOrEqual(t, fast.Kernel.ReadCalls, int64(2), "io.Copy should hand the whole file to copy_file_range")
	assert.Equal(t, fast.Kernel.ReadCalls, fast.Kernel.WriteCalls, "copy_file_range counts as one read and one write")
}

// copy_file_range will not write into a pipe; the copy carries on with
// sendfile, which will, and waits in the poller whenever the pipe is full.
func TestCopyFileRangeFallsBackToSendfile(t *testing.T) {
	testenv.CheckFDs(t)
	size := int64(1<<20 + 7)
	dir := t.TempDir()
	srcPath := writeData(t, dir, size, 2)
	src, err := os.Open(srcPath)
	require.NoError(t, err)
	defer src.Close()
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()

	got := make(chan []byte, 1)
	go func() {
		b, _ := io.ReadAll(r)
		got <- b
	}()
	st, err := sendfile.Copier{Method: sendfile.CopyFileRange, Chunk: 4096}.Copy(w, src)
	w.Close()
	require.NoError(t, err)
	b := <-got

	assert.Equal(t, sendfile.Sendfile, st.Method)
	assert.ErrorIs(t, st.Fallback, unix.EINVAL)
	assert.Equal(t, size, st.Bytes)
	want, err := os.ReadFile(srcPath)
	require.NoError(t, err)
	assert.True(t, string(want) == string(b), "the pipe's reader got other bytes than the file holds")
}

// Since Linux 5.19 copy_file_range refuses to cross file system types;
// /dev/shm (tmpfs) to the temporary directory is such a crossing where
// TMPDIR is on a disk.
func TestCopyAcrossFileSystems(t *testing.T) {
	var shm, tmp unix.Statfs_t
	if unix.Statfs("/dev/shm", &shm) != nil || unix.Statfs(os.TempDir(), &tmp) != nil || shm.Type == tmp.Type {
		testenv.Skip(t, testenv.CrossFS, "/dev/shm and "+os.TempDir()+" are not on file systems of different types")
	}
	shmDir, err := os.MkdirTemp("/dev/shm", "sendfile")
	require.NoError(t, err)
	defer os.RemoveAll(shmDir)
	src := writeData(t, shmDir, 1<<20+7, 3)
	dst := filepath.Join(t.TempDir(), "dst")

	st, err := sendfile.Copier{Method: sendfile.CopyFileRange}.CopyFile(dst, src)
	require.NoError(t, err)
	assert.Equal(t, sumFile(t, src), sumFile(t, dst))
	if st.Fallback != nil {
		assert.ErrorIs(t, st.Fallback, unix.EXDEV)
		assert.Equal(t, sendfile.Sendfile, st.Method)
	}
	t.Logf("tmpfs to %#x: %v, fallback: %v", tmp.Type, st.Method, st.Fallback)
}

func TestCopyRefusesNonRegularSource(t *testing.T) {
	testenv.CheckFDs(t)
	dir := t.TempDir()
	for _, src := range []string{"/dev/null", dir} {
		for _, m := range fileMethods {
			dst := filepath.Join(dir, "dst")
			_, err := sendfile.Copier{Method: m}.CopyFile(dst, src)
			require.ErrorIs(t, err, sendfile.ErrNotRegular, "%v from %s", m, src)
			assert.Contains(t, err.Error(), src)
			assert.NoFileExists(t, dst, "a refused copy must not create its destination")
		}
	}

	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	defer w.Close()
	out, err := os.Create(filepath.Join(dir, "out"))
	require.NoError(t, err)
	defer out.Close()
	_, err = sendfile.Copier{}.Copy(out, r)
	assert.ErrorIs(t, err, sendfile.ErrNotRegular)
}

func TestCopyDestinationErrors(t *testing.T) {
	testenv.CheckFDs(t)
	dir := t.TempDir()
	src := writeData(t, dir, 10000, 4)

	_, err := sendfile.Copier{}.CopyFile(filepath.Join(dir, "no/such/dir/dst"), src)
	require.ErrorIs(t, err, os.ErrNotExist)
	assert.Contains(t, err.Error(), "no/such/dir/dst")

	_, err = sendfile.Copier{}.CopyFile(filepath.Join(dir, "missing"), filepath.Join(dir, "nothing-here"))
	require.ErrorIs(t, err, os.ErrNotExist)
	assert.Contains(t, err.Error(), "nothing-here")

	// A destination opened read-only: every method must say so.
	roPath := filepath.Join(dir, "readonly")
	require.NoError(t, os.WriteFile(roPath, nil, 0o644))
	for _, m := range fileMethods {
		in, err := os.Open(src)
		require.NoError(t, err)
		ro, err := os.Open(roPath)
		require.NoError(t, err)
		_, err = sendfile.Copier{Method: m}.Copy(ro, in)
		in.Close()
		ro.Close()
		require.Error(t, err, "%v into a read-only file", m)
		assert.ErrorIs(t, err, unix.EBADF, "%v", m)
		assert.Contains(t, err.Error(), roPath, "%v: the error names the destination", m)
	}
}

func TestCopyFileOntoItselfIsRefused(t *testing.T) {
	dir := t.TempDir()
	src := writeData(t, dir, 5000, 6)
	before := sumFile(t, src)
	require.NoError(t, os.Link(src, filepath.Join(dir, "hardlink")))
	for _, dst := range []string{src, filepath.Join(dir, "hardlink"), filepath.Join(dir, ".", "src")} {
		_, err := sendfile.Copier{}.CopyFile(dst, src)
		assert.ErrorContains(t, err, "is the source", dst)
	}
	assert.Equal(t, before, sumFile(t, src), "the source is untouched")
}

func TestCopierRejectsBadSettings(t *testing.T) {
	dir := t.TempDir()
	src := writeData(t, dir, 10, 5)
	_, err := sendfile.Copier{Chunk: -1}.CopyFile(filepath.Join(dir, "a"), src)
	assert.ErrorContains(t, err, "chunk -1")
	_, err = sendfile.Copier{Method: 42}.CopyFile(filepath.Join(dir, "b"), src)
	assert.ErrorContains(t, err, "Method(42)")
}

func TestParseMethod(t *testing.T) {
	for _, m := range fileMethods {
		got, err := sendfile.ParseMethod(m.String())
		require.NoError(t, err)
		assert.Equal(t, m, got)
		text, err := m.MarshalText()
		require.NoError(t, err)
		var back sendfile.Method
		require.NoError(t, back.UnmarshalText(text))
		assert.Equal(t, m, back, "text round trip of %s", text)
	}
	_, err := sendfile.ParseMethod("splice")
	assert.ErrorContains(t, err, `"splice"`)
	back := sendfile.IOCopy
	assert.ErrorContains(t, back.UnmarshalText([]byte("splice")), `"splice"`)
	assert.Equal(t, sendfile.IOCopy, back, "a failed UnmarshalText leaves the Method as it was")
	assert.Equal(t, "Method(-1)", sendfile.Method(-1).String())
}

func TestErrorsAreWrapped(t *testing.T) {
	_, err := sendfile.Copier{}.CopyFile("/dev/null/x", "/dev/null/y")
	var pe *os.PathError
	assert.True(t, errors.As(err, &pe), "an open failure keeps its *os.PathError: %v", err)
}
