package udpecho

import (
	"bytes"
	"context"
	"net"
	"testing"
	"time"

	"github.com/sockbook/sockbook/tutorials/exercises/internal/background"
)

func start(t *testing.T) (addr net.Addr, stop func() error) {
	t.Helper()
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	return pc.LocalAddr(), background.Serve(t, "Serve", func(ctx context.Context) error { return Serve(ctx, pc) })
}

func client(t *testing.T, server net.Addr) *net.UDPConn {
	t.Helper()
	c, err := net.DialUDP("udp4", nil, server.(*net.UDPAddr))
	if err != nil {
		t.Fatal(err)
	}
	// Room for the largest echo, so the test itself never truncates.
	c.SetReadBuffer(1 << 20)
	c.SetWriteBuffer(1 << 20)
	t.Cleanup(func() { c.Close() })
	return c
}

func roundTrip(t *testing.T, c *net.UDPConn, msg []byte) []byte {
	t.Helper()
	if _, err := c.Write(msg); err != nil {
		t.Fatalf("sending %d bytes: %v", len(msg), err)
	}
	c.SetReadDeadline(time.Now().Add(3 * time.Second))
	buf := make([]byte, 70000)
	n, err := c.Read(buf)
	if err != nil {
		t.Fatalf("no echo of a %d-byte datagram: %v", len(msg), err)
	}
	return buf[:n]
}

func TestEchoWhole(t *testing.T) {
	addr, _ := start(t)
	c := client(t, addr)
	for _, size := range []int{0, 5, 1024, 1025, 9000, 65507} {
		msg := bytes.Repeat([]byte{'a' + byte(size%26)}, size)
		if got := roundTrip(t, c, msg); len(got) != size {
			t.Errorf("a %d-byte datagram came back as %d bytes: a UDP read cuts a datagram to the buffer's size without an error", size, len(got))
		}
	}
}

func TestRepliesGoToSender(t *testing.T) {
	addr, _ := start(t)
	a, b := client(t, addr), client(t, addr)
	if got := roundTrip(t, a, []byte("from a")); string(got) != "from a" {
		t.Errorf("client a got %q, want its own \"from a\"", got)
	}
	if got := roundTrip(t, b, []byte("from b")); string(got) != "from b" {
		t.Errorf("client b got %q, want its own \"from b\"", got)
	}
}

func TestStopsWithContext(t *testing.T) {
	addr, stop := start(t)
	roundTrip(t, client(t, addr), []byte("ping"))
	stop() // reports an error if Serve does not return nil promptly
}
