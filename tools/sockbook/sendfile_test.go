package main

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sendfileTestFile writes size pseudo-random bytes to a new file and returns
// its path and sha256.
func sendfileTestFile(t *testing.T, size int64) (string, [sha256.Size]byte) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "dd.in")
	f, err := os.Create(path)
	require.NoError(t, err)
	h := sha256.New()
	_, err = io.CopyN(io.MultiWriter(f, h), rand.NewChaCha8([32]byte{7}), size)
	require.NoError(t, err)
	require.NoError(t, f.Close())
	return path, [sha256.Size]byte(h.Sum(nil))
}

func sendfileSum(t *testing.T, path string) [sha256.Size]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return sha256.Sum256(b)
}

func TestSendfileCopyCLI(t *testing.T) {
	const size = 1<<20 + 7
	src, want := sendfileTestFile(t, size)
	for _, method := range []string{"sendfile", "copy_file_range", "io.Copy", "read/write"} {
		t.Run(strings.ReplaceAll(method, "/", "-"), func(t *testing.T) {
			dst := filepath.Join(t.TempDir(), "dd.out")
			// The cheat sheet's order: files first, flags after.
			out := runCLI(t, "sendfile-copy", src, dst, "-method", method)
			assert.Contains(t, out, fmt.Sprintf("copied %d bytes from %s to %s with %s;", size, src, dst, method))
			assert.Equal(t, want, sendfileSum(t, dst), "sha256 of the copy")
			switch method {
			case "sendfile", "copy_file_range":
				assert.Contains(t, out, fmt.Sprintf("%s calls: 257 (largest 4096 bytes)", method), "4096 bytes a call by default")
			case "read/write":
				assert.Contains(t, out, "read/write calls: 257")
			}
		})
	}
}

func TestSendfileCopyCLIRejectsBadInput(t *testing.T) {
	dir := t.TempDir()
	src, _ := sendfileTestFile(t, 10)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"sendfile-copy", "/dev/null", filepath.Join(dir, "out")}, `"/dev/null"`},
		{[]string{"sendfile-copy", dir, filepath.Join(dir, "out")}, "not a regular file"},
		{[]string{"sendfile-copy", src}, "want a source and a destination"},
		{[]string{"sendfile-copy", "-method", "splice", src, filepath.Join(dir, "out")}, `"splice"`},
		{[]string{"sendfile-copy", src, filepath.Join(dir, "no/such/dir")}, "no/such/dir"},
	} {
		_, stderr := runCLIFail(t, tc.args...)
		assert.Contains(t, stderr, tc.want, "sockbook %s", strings.Join(tc.args, " "))
	}
}

// The server hands the file to every client that connects; a plain client
// reading to EOF gets all of it.
func TestSendfileSocketCLIServes(t *testing.T) {
	const size = 3<<20 + 1
	path, want := sendfileTestFile(t, size)
	for _, method := range []string{"sendfile", "io.Copy", "read/write"} {
		t.Run(strings.ReplaceAll(method, "/", "-"), func(t *testing.T) {
			network, addr, lines := startCLI(t, "sendfile-socket", "-addr", "127.0.0.1:0", "-method", method, path)
			require.Equal(t, "tcp", network)
			for range 2 {
				conn, err := net.Dial(network, addr)
				require.NoError(t, err)
				h := sha256.New()
				n, err := io.Copy(h, conn)
				conn.Close()
				require.NoError(t, err)
				assert.Equal(t, int64(size), n, "the client gets every byte")
				assert.Equal(t, want, [sha256.Size]byte(h.Sum(nil)), "sha256 of what the client read")
				assert.Contains(t, nextLine(t, lines), fmt.Sprintf("sent %d bytes with %s", size, method))
			}
		})
	}
}

// With -send the command is the cheat sheet's child: it connects and sends.
func TestSendfileSocketCLISends(t *testing.T) {
	const size = 2<<20 + 5
	path, want := sendfileTestFile(t, size)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	for _, method := range []string{"sendfile", "io.Copy", "read/write"} {
		t.Run(strings.ReplaceAll(method, "/", "-"), func(t *testing.T) {
			dst := filepath.Join(t.TempDir(), "dd.out")
			received := make(chan error, 1)
			go func() {
				conn, err := ln.Accept()
				if err != nil {
					received <- err
					return
				}
				defer conn.Close()
				f, err := os.Create(dst)
				if err != nil {
					received <- err
					return
				}
				_, err = io.Copy(f, conn)
				received <- errors.Join(err, f.Close())
			}()
			out := runCLI(t, "sendfile-socket", "-send", "-addr", ln.Addr().String(), "-method", method, path)
			require.NoError(t, <-received)
			assert.Contains(t, out, fmt.Sprintf("sent %d bytes to %s with %s", size, ln.Addr(), method))
			assert.Equal(t, want, sendfileSum(t, dst), "sha256 of what the receiver wrote")
		})
	}
}

func TestSendfileSocketCLIRejectsBadInput(t *testing.T) {
	file, _ := sendfileTestFile(t, 10)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"sendfile-socket", "-addr", "127.0.0.1:0", "/dev/null"}, "not a regular file"},
		{[]string{"sendfile-socket", "-addr", "127.0.0.1:0"}, "want one file"},
		{[]string{"sendfile-socket", "-addr", "127.0.0.1:0", "-method", "copy_file_range", file}, "copy_file_range"},
	} {
		_, stderr := runCLIFail(t, tc.args...)
		assert.Contains(t, stderr, tc.want, "sockbook %s", strings.Join(tc.args, " "))
	}
}
