package resume

import (
	"bytes"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func file(t *testing.T, size int) (*os.File, []byte) {
	t.Helper()
	data := make([]byte, size)
	for i := range data {
		data[i] = byte(rand.IntN(256))
	}
	path := filepath.Join(t.TempDir(), "data.bin")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f, data
}

// transfer runs SendFrom into a loopback connection and returns what the
// receiving side read.
func transfer(t *testing.T, f *os.File, offset int64) (sent int64, received []byte, err error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan []byte, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			got <- nil
			return
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		time.Sleep(50 * time.Millisecond) // let the sender fill the buffers
		b, _ := io.ReadAll(c)
		got <- b
	}()
	c, err := net.DialTCP("tcp", nil, ln.Addr().(*net.TCPAddr))
	if err != nil {
		t.Fatal(err)
	}
	sent, err = SendFrom(c, f, offset)
	c.Close()
	return sent, <-got, err
}

func TestSendWhole(t *testing.T) {
	f, data := file(t, 8<<20)
	n, got, err := transfer(t, f, 0)
	if err != nil {
		t.Fatalf("SendFrom(offset 0): %v", err)
	}
	if n != int64(len(data)) || !bytes.Equal(got, data) {
		t.Fatalf("SendFrom(offset 0) reported %d bytes and the peer got %d (want %d, identical): sendfile may send less than asked; loop", n, len(got), len(data))
	}
}

func TestResume(t *testing.T) {
	f, data := file(t, 3<<20+17)
	for _, off := range []int64{1, 1 << 20, int64(len(data)) - 1, int64(len(data))} {
		n, got, err := transfer(t, f, off)
		if err != nil {
			t.Fatalf("SendFrom(offset %d): %v", off, err)
		}
		want := data[off:]
		if n != int64(len(want)) || !bytes.Equal(got, want) {
			t.Fatalf("SendFrom(offset %d) reported %d bytes and the peer got %d; want the last %d bytes of the file", off, n, len(got), len(want))
		}
	}
	if pos, _ := f.Seek(0, io.SeekCurrent); pos != 0 {
		t.Errorf("the file's own position moved to %d; pass sendfile an offset pointer instead of using the file position", pos)
	}
}

func TestBadOffset(t *testing.T) {
	f, data := file(t, 1000)
	for _, off := range []int64{-1, int64(len(data)) + 1} {
		n, got, err := transfer(t, f, off)
		if err == nil {
			t.Errorf("SendFrom(offset %d) on a 1000-byte file: want an error", off)
			continue
		}
		if !strings.Contains(err.Error(), "1000") || !strings.Contains(err.Error(), strconv.FormatInt(off, 10)) {
			t.Errorf("error %q should name the offset, %d, and the file size, 1000", err, off)
		}
		if n != 0 || len(got) != 0 {
			t.Errorf("SendFrom(offset %d) sent %d bytes (peer got %d); want nothing", off, n, len(got))
		}
	}
}
