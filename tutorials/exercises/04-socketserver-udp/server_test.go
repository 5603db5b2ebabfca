package udpserver

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/sockbook/sockbook/tutorials/exercises/internal/background"
)

// serve starts Serve on a loopback socket and returns its address and a
// stop function that reports what Serve returned.
func serve(t *testing.T, bufSize int, h Handler) (addr *net.UDPAddr, stop func() error) {
	t.Helper()
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	stop = background.Serve(t, "Serve", func(ctx context.Context) error { return Serve(ctx, conn, bufSize, h) })
	return conn.LocalAddr().(*net.UDPAddr), stop
}

func client(t *testing.T, addr *net.UDPAddr) *net.UDPConn {
	t.Helper()
	c, err := net.DialUDP("udp4", nil, addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// ask sends msg and returns the reply, or fails after 3s.
func ask(t *testing.T, task string, c *net.UDPConn, msg []byte) []byte {
	t.Helper()
	if _, err := c.Write(msg); err != nil {
		t.Fatalf("task %s: send %q: %v", task, msg, err)
	}
	c.SetReadDeadline(time.Now().Add(3 * time.Second))
	buf := make([]byte, 70000)
	n, err := c.Read(buf)
	if err != nil {
		t.Fatalf("task %s: no reply to %q within 3s: %v", task, msg, err)
	}
	return buf[:n]
}

func upper(req Request) []byte { return bytes.ToUpper(req.Data) }

func TestRepliesToEachSender(t *testing.T) {
	addr, _ := serve(t, 2048, upper)
	a, b := client(t, addr), client(t, addr)
	for i := range 3 {
		for name, c := range map[string]*net.UDPConn{"a": a, "b": b} {
			msg := fmt.Sprintf("hello from %s, %d", name, i)
			if got := ask(t, "reply", c, []byte(msg)); string(got) != string(bytes.ToUpper([]byte(msg))) {
				t.Errorf("task reply: client %s sent %q, got %q back; the reply goes to the datagram's own sender", name, msg, got)
			}
		}
	}
	if got := ask(t, "reply", a, []byte{}); len(got) != 0 {
		t.Errorf("task reply: an empty datagram got %q back, want an empty reply", got)
	}
}

func TestHandlersRunConcurrently(t *testing.T) {
	release := make(chan struct{})
	var slowData []byte
	var mu sync.Mutex
	addr, _ := serve(t, 2048, func(req Request) []byte {
		if string(req.Data) == "slow" {
			<-release // held until the fast request has been answered
			mu.Lock()
			slowData = req.Data
			mu.Unlock()
			return []byte("slow done")
		}
		return req.Data
	})
	slow, fast := client(t, addr), client(t, addr)
	if _, err := slow.Write([]byte("slow")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	if got := ask(t, "concurrency", fast, []byte("fast-and-long-datagram")); string(got) != "fast-and-long-datagram" {
		t.Errorf("task concurrency: got %q", got)
	}
	close(release)
	slow.SetReadDeadline(time.Now().Add(3 * time.Second))
	buf := make([]byte, 100)
	if n, err := slow.Read(buf); err != nil || string(buf[:n]) != "slow done" {
		t.Errorf("task concurrency: the slow request's reply: %q, %v", buf[:n], err)
	}
	mu.Lock()
	defer mu.Unlock()
	if string(slowData) != "slow" {
		t.Errorf("task own data: the slow handler's Data became %q after a later datagram arrived, want \"slow\": give each request its own copy", slowData)
	}
}

func TestSingleHandlerDoesNotBlockOthers(t *testing.T) {
	// A handler that never returns for one client must not stop the rest.
	block := make(chan struct{})
	defer close(block)
	addr, _ := serve(t, 2048, func(req Request) []byte {
		if string(req.Data) == "stuck" {
			<-block
		}
		return req.Data
	})
	stuck := client(t, addr)
	stuck.Write([]byte("stuck"))
	other := client(t, addr)
	for i := range 5 {
		msg := fmt.Sprint("ping ", i)
		if got := ask(t, "concurrency", other, []byte(msg)); string(got) != msg {
			t.Errorf("task concurrency: got %q for %q", got, msg)
		}
	}
}

func TestReportsTruncation(t *testing.T) {
	addr, _ := serve(t, 100, func(req Request) []byte {
		return fmt.Appendf(nil, "%d %v", len(req.Data), req.Truncated)
	})
	c := client(t, addr)
	for _, tc := range []struct {
		size int
		want string
	}{{99, "99 false"}, {100, "100 false"}, {101, "100 true"}, {5000, "100 true"}} {
		if got := ask(t, "truncation", c, make([]byte, tc.size)); string(got) != tc.want {
			t.Errorf("task truncation: a %d-byte datagram into a 100-byte buffer: handler saw %q (length truncated), want %q", tc.size, got, tc.want)
		}
	}
}

func TestStopsAndWaitsForHandlers(t *testing.T) {
	started := make(chan struct{})
	var finished bool
	var mu sync.Mutex
	addr, stop := serve(t, 2048, func(req Request) []byte {
		close(started)
		time.Sleep(200 * time.Millisecond)
		mu.Lock()
		finished = true
		mu.Unlock()
		return nil
	})
	client(t, addr).Write([]byte("one"))
	select {
	case <-started:
	case <-time.After(3 * time.Second):
		t.Fatal("task stop: the handler was never called")
	}
	if err := stop(); err != nil {
		t.FailNow()
	}
	mu.Lock()
	defer mu.Unlock()
	if !finished {
		t.Error("task stop: Serve returned while a handler was still running; wait for every handler first")
	}
}
