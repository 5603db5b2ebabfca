package sendfile_test

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/pkg/sendfile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var socketMethods = []sendfile.Method{sendfile.Sendfile, sendfile.IOCopy, sendfile.ReadWrite}

type received struct {
	n   int64
	err error
}

// receiveOne accepts one connection on ln and writes what it reads, until
// EOF, into the file at path: the cheat sheet's receiver, with a read/write
// loop like its recv(4096) one.
func receiveOne(ln net.Listener, path string) <-chan received {
	done := make(chan received, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			done <- received{err: err}
			return
		}
		f, err := os.Create(path)
		if err != nil {
			conn.Close()
			done <- received{err: err}
			return
		}
		// Hiding conn's type keeps io.Copy from splice(2), whose pipes
		// the standard library pools, so that testenv.CheckFDs counts
		// only the descriptors this package opens.
		n, err := io.Copy(f, struct{ io.Reader }{conn})
		conn.Close()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		done <- received{n, err}
	}()
	return done
}

func TestSendEveryMethodAndSize(t *testing.T) {
	warmUp(t)
	testenv.CheckFDs(t)
	for _, m := range socketMethods {
		for _, size := range sizes {
			t.Run(fmt.Sprintf("%v/size=%d", m, size), func(t *testing.T) {
				dir := t.TempDir()
				srcPath := writeData(t, dir, size, byte(size))
				dstPath := filepath.Join(dir, "received")
				ln, err := net.Listen("tcp", "127.0.0.1:0")
				require.NoError(t, err)
				defer ln.Close()
				done := receiveOne(ln, dstPath)

				conn, err := net.Dial("tcp", ln.Addr().String())
				require.NoError(t, err)
				src, err := os.Open(srcPath)
				require.NoError(t, err)
				st, err := sendfile.Copier{Method: m, Chunk: 4096}.Send(conn, src)
				src.Close()
				conn.Close()
				require.NoError(t, err)
				r := <-done
				require.NoError(t, r.err)

				assert.Equal(t, size, st.Bytes)
				assert.Equal(t, size, r.n, "the receiver gets every byte")
				assert.Equal(t, sumFile(t, srcPath), sumFile(t, dstPath), "sha256 of what was received")
				if m == sendfile.Sendfile && st.Kernel.Measured {
					// A socket may take less than asked or nothing
					// (EAGAIN); the kernel counts every attempt.
					assert.Equal(t, int64(st.Calls+st.Retries), st.Kernel.ReadCalls)
				}
			})
		}
	}
}

// A receiver that hangs up mid-file makes the sender fail, whatever the
// method, instead of blocking forever on a socket nobody reads.
func TestSendPeerClosesMidTransfer(t *testing.T) {
	warmUp(t)
	testenv.CheckFDs(t)
	dir := t.TempDir()
	srcPath := writeData(t, dir, 32<<20, 9)
	for _, m := range socketMethods {
		t.Run(m.String(), func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			require.NoError(t, err)
			defer ln.Close()
			go func() {
				conn, err := ln.Accept()
				if err != nil {
					return
				}
				conn.(*net.TCPConn).SetReadBuffer(4096)
				// Read a little, then close with data unread: the
				// kernel answers the sender with a reset.
				io.ReadFull(conn, make([]byte, 1000))
				conn.Close()
			}()
			conn, err := net.Dial("tcp", ln.Addr().String())
			require.NoError(t, err)
			defer conn.Close()
			conn.(*net.TCPConn).SetWriteBuffer(4096)
			src, err := os.Open(srcPath)
			require.NoError(t, err)
			defer src.Close()

			result := make(chan error, 1)
			go func() {
				_, err := sendfile.Copier{Method: m}.Send(conn, src)
				result <- err
			}()
			select {
			case err := <-result:
				require.Error(t, err)
				assert.True(t, errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE), "want a reset or broken pipe, got %v", err)
				assert.Contains(t, err.Error(), srcPath)
			case <-time.After(20 * time.Second):
				// Unblock the sender so the test can end, then fail.
				conn.Close()
				<-result
				t.Fatal("Send still blocked 20 s after the peer closed")
			}
		})
	}
}

func TestSendRefusals(t *testing.T) {
	warmUp(t)
	testenv.CheckFDs(t)
	dir := t.TempDir()
	src, err := os.Open(writeData(t, dir, 10, 10))
	require.NoError(t, err)
	defer src.Close()

	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	_, err = sendfile.Copier{}.Send(a, src)
	assert.ErrorContains(t, err, "no file descriptor")

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	conn, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	_, err = sendfile.Copier{Method: sendfile.CopyFileRange}.Send(conn, src)
	assert.ErrorContains(t, err, "copy_file_range")

	_, err = sendfile.Copier{}.Send(conn, os.Stdin)
	if fi, serr := os.Stdin.Stat(); serr == nil && !fi.Mode().IsRegular() {
		assert.ErrorIs(t, err, sendfile.ErrNotRegular)
	}
}
