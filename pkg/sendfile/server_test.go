package sendfile_test

import (
	"cmp"
	"context"
	"crypto/sha256"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"

	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/pkg/sendfile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

type served struct {
	st  sendfile.Stats
	err error
}

// fetch connects to addr, optionally says something first (which the
// server must ignore without losing file bytes), and returns the sha256 and
// length of everything it reads until EOF.
func fetch(addr string, say string) ([sha256.Size]byte, int64, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return [sha256.Size]byte{}, 0, err
	}
	defer conn.Close()
	if say != "" {
		if _, err := io.WriteString(conn, say); err != nil {
			return [sha256.Size]byte{}, 0, err
		}
	}
	h := sha256.New()
	n, err := io.Copy(h, conn)
	return [sha256.Size]byte(h.Sum(nil)), n, err
}

func TestServerServesEveryClientPastAStalledOne(t *testing.T) {
	warmUp(t)
	testenv.CheckFDs(t)
	size := int64(8<<20 + 3) // more than loopback socket buffers hold
	path := writeData(t, t.TempDir(), size, 11)
	want := sumFile(t, path)

	for _, m := range socketMethods {
		t.Run(m.String(), func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			require.NoError(t, err)
			var mu sync.Mutex
			var log []served
			srv := &sendfile.Server{Path: path, Copier: sendfile.Copier{Method: m}, Log: func(_ net.Addr, st sendfile.Stats, err error) {
				mu.Lock()
				log = append(log, served{st, err})
				mu.Unlock()
			}}
			ctx, cancel := context.WithCancel(context.Background())
			serveErr := make(chan error, 1)
			go func() { serveErr <- srv.Serve(ctx, ln) }()

			// This client connects and never reads. A small, fixed
			// receive buffer keeps the kernel from growing it to
			// hold the whole file.
			d := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
				var serr error
				err := c.Control(func(fd uintptr) {
					serr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_RCVBUF, 4096)
				})
				return cmp.Or(err, serr)
			}}
			stalled, err := d.Dial("tcp", ln.Addr().String())
			require.NoError(t, err)
			defer stalled.Close()

			var wg sync.WaitGroup
			for i, say := range []string{"", "", "hello, server", ""} {
				wg.Go(func() {
					sum, n, err := fetch(ln.Addr().String(), say)
					assert.NoError(t, err, "client %d", i)
					assert.Equal(t, size, n, "client %d gets every byte", i)
					assert.Equal(t, want, sum, "client %d: sha256", i)
				})
			}
			wg.Wait()

			cancel()
			require.NoError(t, <-serveErr, "Serve returns nil when its context ends")
			_, err = ln.Accept()
			assert.ErrorIs(t, err, net.ErrClosed, "Serve closes its listener")

			mu.Lock()
			defer mu.Unlock()
			require.Len(t, log, 5, "Log is called once per client")
			var ok, failed int
			for _, s := range log {
				if s.err == nil {
					ok++
					assert.Equal(t, size, s.st.Bytes)
				} else {
					failed++
					assert.Less(t, s.st.Bytes, size, "the stalled client cannot have taken the whole file")
				}
			}
			assert.Equal(t, 4, ok)
			assert.Equal(t, 1, failed, "the stalled client's transfer is cut off by the shutdown")
		})
	}
}

func TestServerRefusesBadSettings(t *testing.T) {
	testenv.CheckFDs(t)
	dir := t.TempDir()
	file := writeData(t, dir, 10, 12)
	for _, tc := range []struct {
		srv  *sendfile.Server
		want string
	}{
		{&sendfile.Server{Path: dir}, "not a regular file"},
		{&sendfile.Server{Path: filepath.Join(dir, "absent")}, "absent"},
		{&sendfile.Server{Path: file, Copier: sendfile.Copier{Method: sendfile.CopyFileRange}}, "copy_file_range"},
	} {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		err = tc.srv.Serve(context.Background(), ln)
		assert.ErrorContains(t, err, tc.want)
		_, err = ln.Accept()
		assert.ErrorIs(t, err, net.ErrClosed, "Serve closes its listener even when it refuses to start")
	}
	_, err := os.Stat(file)
	assert.NoError(t, err)
}
