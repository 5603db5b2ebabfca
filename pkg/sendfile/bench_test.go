package sendfile_test

import (
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/sockbook/sockbook/pkg/sendfile"
)

// benchMethods are compared side by side; the read/write loop uses
// io.Copy's own buffer size, so it is what io.Copy does without a fast path.
var benchMethods = []sendfile.Copier{
	{Method: sendfile.ReadWrite, Chunk: 32 << 10},
	{Method: sendfile.Sendfile},
	{Method: sendfile.CopyFileRange},
	{Method: sendfile.IOCopy},
}

// BenchmarkCopyFile copies a 64 MiB file with each method:
//
//	go test -run '^$' -bench CopyFile ./pkg/sendfile
func BenchmarkCopyFile(b *testing.B) {
	const size = 64 << 20
	dir := b.TempDir()
	src := writeData(b, dir, size, 64)
	for _, c := range benchMethods {
		b.Run(c.Method.String(), func(b *testing.B) {
			b.SetBytes(size)
			dst := filepath.Join(dir, "dst")
			for b.Loop() {
				if _, err := c.CopyFile(dst, src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSend sends a 16 MiB file over one loopback TCP connection per
// method, to a receiver that discards it:
//
//	go test -run '^$' -bench Send ./pkg/sendfile
func BenchmarkSend(b *testing.B) {
	const size = 16 << 20
	srcPath := writeData(b, b.TempDir(), size, 16)
	for _, c := range benchMethods {
		if c.Method == sendfile.CopyFileRange {
			continue // writes only to files
		}
		b.Run(c.Method.String(), func(b *testing.B) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				b.Fatal(err)
			}
			defer ln.Close()
			drained := make(chan error, 1)
			go func() {
				conn, err := ln.Accept()
				if err != nil {
					drained <- err
					return
				}
				_, err = io.Copy(io.Discard, conn)
				conn.Close()
				drained <- err
			}()
			conn, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				b.Fatal(err)
			}
			src, err := os.Open(srcPath)
			if err != nil {
				b.Fatal(err)
			}
			defer src.Close()

			b.SetBytes(size)
			for b.Loop() {
				if _, err := c.Send(conn, src); err != nil {
					b.Fatal(err)
				}
			}
			conn.Close()
			if err := <-drained; err != nil {
				b.Fatal(err)
			}
		})
	}
}
