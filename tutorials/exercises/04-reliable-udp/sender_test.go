package reliable

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sockbook/sockbook/tutorials/exercises/internal/background"
)

// receiver is the far end: it acknowledges each datagram, delivers a message
// only once, and misbehaves as told.
type receiver struct {
	conn *net.UDPConn

	mu        sync.Mutex
	delivered []string
	seen      map[uint32]int // datagrams received per sequence number
}

func newReceiver(t *testing.T, misbehave func(seq uint32, nth int) (drop, dupAck bool)) *receiver {
	t.Helper()
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	r := &receiver{conn: conn, seen: map[uint32]int{}}
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 2048)
		next := uint32(0)
		for {
			n, from, err := conn.ReadFromUDP(buf)
			if err != nil {
				return
			}
			if n < 4 {
				continue
			}
			seq := binary.BigEndian.Uint32(buf)
			r.mu.Lock()
			r.seen[seq]++
			nth := r.seen[seq]
			r.mu.Unlock()
			drop, dup := misbehave(seq, nth)
			if drop {
				continue
			}
			if seq == next {
				r.mu.Lock()
				r.delivered = append(r.delivered, string(buf[4:n]))
				r.mu.Unlock()
				next++
			}
			ack := binary.BigEndian.AppendUint32(nil, seq)
			if dup && seq > 0 {
				// A stale acknowledgement first, then garbage.
				conn.WriteToUDP(binary.BigEndian.AppendUint32(nil, seq-1), from)
				conn.WriteToUDP([]byte("junk!"), from)
			}
			conn.WriteToUDP(ack, from)
		}
	}()
	t.Cleanup(func() { conn.Close(); <-done })
	return r
}

func dial(t *testing.T, addr net.Addr) *net.UDPConn {
	t.Helper()
	c, err := net.DialUDP("udp4", nil, addr.(*net.UDPAddr))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func messages(n int) [][]byte {
	var out [][]byte
	for i := range n {
		out = append(out, []byte(fmt.Sprintf("message %d", i)))
	}
	return out
}

func TestDeliversDespiteLoss(t *testing.T) {
	// Every message's first datagram is lost, and every second one's
	// acknowledgement comes with a stale duplicate.
	r := newReceiver(t, func(seq uint32, nth int) (bool, bool) { return nth == 1, seq%2 == 0 })
	msgs := messages(10)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := Send(ctx, dial(t, r.conn.LocalAddr()), msgs, Options{Timeout: 50 * time.Millisecond, Retries: 3}); err != nil {
		t.Fatalf("Send: %v", err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	want := make([]string, len(msgs))
	for i, m := range msgs {
		want[i] = string(m)
	}
	if strings.Join(r.delivered, "|") != strings.Join(want, "|") {
		t.Fatalf("receiver got %q, want %q in order", r.delivered, want)
	}
	for seq := range uint32(len(msgs)) {
		if r.seen[seq] < 2 {
			t.Errorf("message %d was sent %d times; its first datagram was dropped, so it must be retransmitted", seq, r.seen[seq])
		}
	}
}

func TestGivesUp(t *testing.T) {
	r := newReceiver(t, func(seq uint32, nth int) (bool, bool) { return seq == 2, false })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := Send(ctx, dial(t, r.conn.LocalAddr()), messages(5), Options{Timeout: 20 * time.Millisecond, Retries: 4})
	if !errors.Is(err, ErrNoAck) {
		t.Fatalf("Send to a receiver that never acknowledges message 2: got %v, want an error wrapping ErrNoAck", err)
	}
	if !strings.Contains(err.Error(), "2") {
		t.Errorf("error %q should name the sequence number, 2", err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if got := r.seen[2]; got != 5 {
		t.Errorf("message 2 was sent %d times, want 5 (once plus 4 retries)", got)
	}
	if r.seen[3] != 0 {
		t.Errorf("message 3 was sent although message 2 was never acknowledged")
	}
}

func TestStopsWithContext(t *testing.T) {
	r := newReceiver(t, func(uint32, int) (bool, bool) { return true, false })
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	c := dial(t, r.conn.LocalAddr())
	err := background.Wait(t, 5*time.Second, "Send kept waiting 5s after its context ended", func() error {
		return Send(ctx, c, messages(1), Options{Timeout: time.Hour, Retries: 1000})
	})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Send after its context expired: got %v, want an error wrapping context.DeadlineExceeded", err)
	}
}

func TestStopsOnCancel(t *testing.T) {
	// A context with no deadline: only cancel() can end the wait, so a
	// sender that bounds its reads by ctx.Deadline alone waits an hour here.
	r := newReceiver(t, func(uint32, int) (bool, bool) { return true, false })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := dial(t, r.conn.LocalAddr())
	time.AfterFunc(50*time.Millisecond, cancel)
	err := background.Wait(t, 5*time.Second, "Send kept waiting 5s after cancel(): a context with no deadline must still stop it (watch ctx.Done, not only ctx.Deadline)", func() error {
		return Send(ctx, c, messages(1), Options{Timeout: time.Hour, Retries: 1000})
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Send after cancel(): got %v, want an error wrapping context.Canceled", err)
	}
}
