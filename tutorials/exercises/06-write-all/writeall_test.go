package writeall

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// pair returns a connected stream socketpair; the first end is non-blocking
// and has a small send buffer, so a large write can only be partial.
func pair(t *testing.T) (int, *os.File) {
	t.Helper()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.SetNonblock(fds[0], true); err != nil {
		t.Fatal(err)
	}
	unix.SetsockoptInt(fds[0], unix.SOL_SOCKET, unix.SO_SNDBUF, 4096)
	t.Cleanup(func() { unix.Close(fds[0]) })
	peer := os.NewFile(uintptr(fds[1]), "peer")
	t.Cleanup(func() { peer.Close() })
	return fds[0], peer
}

func TestWritesEverything(t *testing.T) {
	fd, peer := pair(t)
	data := make([]byte, 4<<20)
	for i := range data {
		data[i] = byte(rand.IntN(256))
	}
	got := make(chan []byte, 1)
	go func() {
		// A slow reader: small reads with pauses keep the buffer full.
		var buf bytes.Buffer
		chunk := make([]byte, 64<<10)
		for buf.Len() < len(data) {
			n, err := peer.Read(chunk)
			buf.Write(chunk[:n])
			if err != nil {
				break
			}
			if buf.Len()%(1<<20) < len(chunk) {
				time.Sleep(5 * time.Millisecond)
			}
		}
		got <- buf.Bytes()
	}()
	n, err := WriteAll(fd, data, 5*time.Second)
	if err != nil {
		t.Fatalf("WriteAll of %d bytes: wrote %d, then %v", len(data), n, err)
	}
	if n != len(data) {
		t.Fatalf("WriteAll returned %d, want %d", n, len(data))
	}
	select {
	case b := <-got:
		if !bytes.Equal(b, data) {
			t.Fatalf("the reader got %d bytes that differ from the %d written: were partial writes repeated or skipped?", len(b), len(data))
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the reader never received everything")
	}
}

func TestTimesOutWhenNobodyReads(t *testing.T) {
	fd, _ := pair(t)
	data := make([]byte, 8<<20) // far more than the socket buffers hold
	n, err := WriteAll(fd, data, 200*time.Millisecond)
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("WriteAll to a peer that never reads: err = %v, want one wrapping os.ErrDeadlineExceeded", err)
	}
	if n <= 0 || n >= len(data) {
		t.Errorf("WriteAll reported %d bytes written; want the partial count (some, not all)", n)
	}
}

func TestReportsPeerGone(t *testing.T) {
	fd, peer := pair(t)
	peer.Close()
	_, err := WriteAll(fd, []byte("hello"), time.Second)
	if !errors.Is(err, unix.EPIPE) {
		t.Fatalf("WriteAll after the peer closed: %v, want an error wrapping EPIPE", err)
	}
}
