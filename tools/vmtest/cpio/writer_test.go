package cpio

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type entry struct {
	hdr  Header
	body string
}

var sample = []entry{
	{Header{Name: "dev", Mode: TypeDir | 0o755}, ""},
	{Header{Name: "dev/console", Mode: TypeChar | 0o600, Devmajor: 5, Devminor: 1}, ""},
	{Header{Name: "init", Mode: TypeReg | 0o755, Mtime: 1700000000}, "#!/bin/sh\necho hi\n"},
	// Lengths 0 to 3 of names and bodies exercise every padding case.
	{Header{Name: "a", Mode: TypeReg | 0o644}, ""},
	{Header{Name: "ab", Mode: TypeReg | 0o644}, "x"},
	{Header{Name: "abc", Mode: TypeReg | 0o644}, "xy"},
	{Header{Name: "abcd", Mode: TypeReg | 0o644, UID: 1000, GID: 100}, "xyz"},
	{Header{Name: "lib64/ld.so", Mode: TypeSymlink | 0o777}, "../lib/ld.so"},
}

func writeArchive(t *testing.T, entries []entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := NewWriter(&buf)
	for _, e := range entries {
		h := e.hdr
		h.Size = int64(len(e.body))
		require.NoError(t, w.WriteHeader(&h))
		_, err := io.WriteString(w, e.body)
		require.NoError(t, err)
	}
	require.NoError(t, w.Close())
	return buf.Bytes()
}

// parse reads a newc archive back, independently of the writer's code.
func parse(data []byte) ([]entry, error) {
	var out []entry
	off := 0
	align := func() { off += (4 - off%4) % 4 }
	for {
		if off+headerLen > len(data) {
			return nil, fmt.Errorf("truncated header at offset %d", off)
		}
		h := data[off : off+headerLen]
		if string(h[:6]) != "070701" {
			return nil, fmt.Errorf("bad magic %q at offset %d", h[:6], off)
		}
		var f [13]uint32
		for i := range f {
			v, err := strconv.ParseUint(string(h[6+8*i:14+8*i]), 16, 32)
			if err != nil {
				return nil, fmt.Errorf("field %d at offset %d: %w", i, off, err)
			}
			f[i] = uint32(v)
		}
		off += headerLen
		nameLen, size := int(f[11]), int(f[6])
		if off+nameLen+size > len(data) || nameLen == 0 || data[off+nameLen-1] != 0 {
			return nil, fmt.Errorf("bad name or size at offset %d", off)
		}
		name := string(data[off : off+nameLen-1])
		off += nameLen
		align()
		if name == trailerName {
			if off != len(data) {
				return nil, fmt.Errorf("%d bytes after the trailer", len(data)-off)
			}
			return out, nil
		}
		body := string(data[off : off+size])
		off += size
		align()
		out = append(out, entry{Header{
			Name: name, Mode: f[1], UID: f[2], GID: f[3], Mtime: f[5],
			Size: int64(size), Devmajor: f[9], Devminor: f[10],
		}, body})
	}
}

func TestRoundTrip(t *testing.T) {
	data := writeArchive(t, sample)
	assert.Zero(t, len(data)%4, "archive length is a multiple of four")

	got, err := parse(data)
	require.NoError(t, err)
	require.Len(t, got, len(sample))
	for i, want := range sample {
		want.hdr.Size = int64(len(want.body))
		assert.Equal(t, want, got[i])
	}
}

func TestInodesAreDistinct(t *testing.T) {
	data := writeArchive(t, sample)
	seen := map[string]bool{}
	for off := 0; ; {
		i := bytes.Index(data[off:], []byte("070701"))
		if i < 0 {
			break
		}
		ino := string(data[off+i+6 : off+i+14])
		if strings.Contains(string(data[off+i:off+i+headerLen+len(trailerName)]), trailerName) {
			break
		}
		assert.False(t, seen[ino], "inode %s used twice", ino)
		seen[ino] = true
		off += i + headerLen
	}
	assert.Len(t, seen, len(sample))
}

// TestCpioTool lists the archive with GNU cpio, an implementation that
// shares nothing with this package.
func TestCpioTool(t *testing.T) {
	path, err := exec.LookPath("cpio")
	if err != nil {
		testenv.Skip(t, testenv.Cpio, "cpio is not installed (Debian package cpio): "+err.Error())
	}
	cmd := exec.Command(path, "-t", "--quiet")
	cmd.Stdin = bytes.NewReader(writeArchive(t, sample))
	out, err := cmd.Output()
	require.NoError(t, err)
	var want []string
	for _, e := range sample {
		want = append(want, e.hdr.Name)
	}
	assert.Equal(t, want, strings.Fields(string(out)))
}

func TestBadInput(t *testing.T) {
	for _, tc := range []struct {
		name string
		hdr  Header
		want string
	}{
		{"empty name", Header{Mode: TypeReg}, "empty name"},
		{"NUL in name", Header{Name: "a\x00b", Mode: TypeReg}, `"a\x00b" contains a NUL byte`},
		{"trailer name", Header{Name: trailerName, Mode: TypeReg}, "reserved for the trailer"},
		{"negative size", Header{Name: "f", Mode: TypeReg, Size: -1}, `"f": size -1 outside`},
		{"huge size", Header{Name: "f", Mode: TypeReg, Size: 1 << 32}, `"f": size 4294967296 outside`},
		{"directory with body", Header{Name: "d", Mode: TypeDir, Size: 3}, `"d": size 3, but a directory`},
		{"no file type", Header{Name: "x", Mode: 0o644}, `"x": mode 0644 has no supported file type`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := NewWriter(io.Discard).WriteHeader(&tc.hdr)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestBodyLengthMustMatchSize(t *testing.T) {
	w := NewWriter(io.Discard)
	require.NoError(t, w.WriteHeader(&Header{Name: "f", Mode: TypeReg, Size: 2}))
	_, err := w.Write([]byte("abc"))
	assert.ErrorContains(t, err, `"f": write of 3 bytes exceeds the 2 left`)

	_, err = w.Write([]byte("a"))
	require.NoError(t, err)
	assert.ErrorContains(t, w.Close(), `"f": body is 1 bytes shorter than its Size`)
}

func TestWriteAfterClose(t *testing.T) {
	w := NewWriter(io.Discard)
	require.NoError(t, w.Close())
	assert.Error(t, w.WriteHeader(&Header{Name: "f", Mode: TypeReg}))
	_, err := w.Write(nil)
	assert.Error(t, err)
}

type failingWriter struct{ after int }

func (f *failingWriter) Write(p []byte) (int, error) {
	if f.after < len(p) {
		n := f.after
		f.after = 0
		return n, errors.New("disk full")
	}
	f.after -= len(p)
	return len(p), nil
}

func TestUnderlyingErrorIsSticky(t *testing.T) {
	w := NewWriter(&failingWriter{after: headerLen + 8})
	require.NoError(t, w.WriteHeader(&Header{Name: "file", Mode: TypeReg, Size: 100}))
	_, err := w.Write(make([]byte, 100))
	require.ErrorContains(t, err, "disk full")
	assert.ErrorContains(t, w.WriteHeader(&Header{Name: "g", Mode: TypeReg}), "disk full")
	assert.ErrorContains(t, w.Close(), "disk full")
}
