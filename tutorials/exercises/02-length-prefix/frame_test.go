package frame

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/sockbook/sockbook/tutorials/exercises/internal/background"
)

func TestRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	msgs := [][]byte{[]byte("hello"), {}, bytes.Repeat([]byte("x"), 70000)}
	for _, m := range msgs {
		if err := WriteFrame(&buf, m); err != nil {
			t.Fatalf("WriteFrame(%d bytes): %v", len(m), err)
		}
	}
	if got := buf.Len(); got != 4*3+5+70000 {
		t.Fatalf("three frames take %d bytes, want %d (4-byte prefix each)", got, 4*3+5+70000)
	}
	if !bytes.Equal(buf.Bytes()[:9], []byte{0, 0, 0, 5, 'h', 'e', 'l', 'l', 'o'}) {
		t.Fatalf("first frame is % x, want 00 00 00 05 then \"hello\" (big-endian length)", buf.Bytes()[:9])
	}
	// OneByteReader makes every Read return a single byte, as a slow
	// network may.
	r := iotest.OneByteReader(&buf)
	for i, m := range msgs {
		got, err := ReadFrame(r)
		if err != nil {
			t.Fatalf("ReadFrame #%d: %v (reads may be short: loop until you have n bytes)", i, err)
		}
		if !bytes.Equal(got, m) {
			t.Fatalf("ReadFrame #%d: got %d bytes, want %d", i, len(got), len(m))
		}
	}
	if _, err := ReadFrame(r); err != io.EOF {
		t.Fatalf("ReadFrame at a clean end of stream: got %v, want io.EOF itself", err)
	}
}

func TestBadFrames(t *testing.T) {
	if err := WriteFrame(io.Discard, make([]byte, MaxFrame+1)); err == nil {
		t.Error("WriteFrame of MaxFrame+1 bytes: want an error")
	}
	for name, in := range map[string][]byte{
		"cut in prefix": {0, 0},
		"cut in body":   {0, 0, 0, 9, 'a', 'b'},
	} {
		if _, err := ReadFrame(bytes.NewReader(in)); !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("ReadFrame(%s): got %v, want an error wrapping io.ErrUnexpectedEOF", name, err)
		}
	}
	huge := binary.BigEndian.AppendUint32(nil, 0xffffffff)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, _ = ReadFrame(bytes.NewReader(huge))
	runtime.ReadMemStats(&after)
	if _, err := ReadFrame(bytes.NewReader(huge)); err == nil {
		t.Error("ReadFrame with a 4 GiB length: want an error")
	} else if !strings.Contains(err.Error(), "4294967295") {
		t.Errorf("ReadFrame with a 4 GiB length: error %q should name the length", err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Errorf("ReadFrame with a 4 GiB length allocated %d bytes; check the length before allocating", n)
	}
}

func startServer(t *testing.T) (addr string, stop func() error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln.Addr().String(), background.Serve(t, "Serve", func(ctx context.Context) error { return Serve(ctx, ln) })
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(5 * time.Second))
	return c
}

func TestServe(t *testing.T) {
	addr, _ := startServer(t)
	good := dial(t, addr)
	bad := dial(t, addr)

	// A hostile client announces a huge frame; it must be dropped ...
	bad.Write([]byte{0xff, 0xff, 0xff, 0xff})
	if _, err := bad.Read(make([]byte, 1)); !closedByPeer(err) {
		t.Errorf("a client announcing a 4 GiB frame should be disconnected (read: %v)", err)
	}
	// ... while a well-behaved one is served, message by message.
	for _, m := range []string{"hello", "", strings.Repeat("big ", 100000)} {
		if err := WriteFrame(good, []byte(m)); err != nil {
			t.Fatal(err)
		}
		got, err := ReadFrame(good)
		if err != nil {
			t.Fatalf("reading the echo of a %d-byte frame: %v", len(m), err)
		}
		if string(got) != m {
			t.Fatalf("echo of a %d-byte frame came back as %d bytes", len(m), len(got))
		}
	}
}

func TestServeShutdown(t *testing.T) {
	addr, stop := startServer(t)
	idle := dial(t, addr)
	if err := WriteFrame(idle, []byte("ping")); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFrame(idle); err != nil {
		t.Fatal(err)
	}
	stop() // fails the test if Serve does not return
	if _, err := idle.Read(make([]byte, 1)); !closedByPeer(err) {
		t.Errorf("after shutdown, an idle client's connection should be closed by the server (read: %v)", err)
	}
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Error("after shutdown, the listener should be closed")
	}
}

// closedByPeer reports whether err from a read means the other side closed
// the connection, as opposed to the read timing out while it stayed open.
func closedByPeer(err error) bool {
	var ne net.Error
	return err != nil && !(errors.As(err, &ne) && ne.Timeout())
}
