package discovery

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sockbook/sockbook/tutorials/exercises/internal/background"
	"golang.org/x/sys/unix"
)

// loopbackBroadcast is the broadcast address of 127.0.0.0/8: Linux routes
// it on lo, so the tests' broadcasts never leave the machine.
var loopbackBroadcast = netip.MustParseAddr("127.255.255.255")

// withOption opens a UDP socket on addr with one SOL_SOCKET option set to
// v before bind. Go turns SO_BROADCAST on for every UDP socket it makes; the
// tests turn it off to see whether your code turns it on.
func withOption(t *testing.T, addr string, opt, v int) *net.UDPConn {
	t.Helper()
	lc := net.ListenConfig{Control: func(_, _ string, rc syscall.RawConn) error {
		var serr error
		if err := rc.Control(func(fd uintptr) { serr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, opt, v) }); err != nil {
			return err
		}
		return serr
	}}
	pc, err := lc.ListenPacket(context.Background(), "udp4", addr)
	if err != nil {
		t.Fatalf("listen on %s: %v", addr, err)
	}
	t.Cleanup(func() { pc.Close() })
	return pc.(*net.UDPConn)
}

// noBroadcast is a client socket with SO_BROADCAST off.
func noBroadcast(t *testing.T) *net.UDPConn {
	return withOption(t, "0.0.0.0:0", unix.SO_BROADCAST, 0)
}

func broadcastOption(t *testing.T, c *net.UDPConn) int {
	t.Helper()
	rc, err := c.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var v int
	var serr error
	rc.Control(func(fd uintptr) { v, serr = unix.GetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_BROADCAST) })
	if serr != nil {
		t.Fatal(serr)
	}
	return v
}

// freePort returns a UDP port nobody on the machine holds right now.
func freePort(t *testing.T) int {
	t.Helper()
	c, err := net.ListenUDP("udp4", &net.UDPAddr{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return c.LocalAddr().(*net.UDPAddr).Port
}

// read returns the next datagram on c, or fails the test after d.
func read(t *testing.T, task string, c *net.UDPConn, d time.Duration, what string) (string, netip.AddrPort) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(d))
	defer c.SetReadDeadline(time.Time{})
	buf := make([]byte, 2048)
	n, from, err := c.ReadFromUDPAddrPort(buf)
	if err != nil {
		t.Fatalf("task %s: %s: nothing arrived within %v: %v", task, what, d, err)
	}
	return string(buf[:n]), from
}

// silent fails the test if a datagram arrives on c within d.
func silent(t *testing.T, task string, c *net.UDPConn, d time.Duration, why string) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(d))
	defer c.SetReadDeadline(time.Time{})
	buf := make([]byte, 2048)
	if n, from, err := c.ReadFromUDPAddrPort(buf); err == nil {
		t.Errorf("task %s: got %q from %v: %s", task, buf[:n], from, why)
	}
}

func TestEnableBroadcast(t *testing.T) {
	c := noBroadcast(t)
	to := netip.AddrPortFrom(loopbackBroadcast, 9)
	// First what the option is for: without it the kernel refuses the send.
	if _, err := c.WriteToUDPAddrPort([]byte("x"), to); !errors.Is(err, syscall.EACCES) {
		t.Fatalf("the kernel let a socket without SO_BROADCAST send to %v (error %v, want EACCES); this machine does not behave as the exercise assumes", to, err)
	}
	if err := EnableBroadcast(c); err != nil {
		t.Fatalf("task 1: EnableBroadcast: %v", err)
	}
	if v := broadcastOption(t, c); v != 1 {
		t.Errorf("task 1: after EnableBroadcast, getsockopt(SO_BROADCAST) = %d, want 1: set the option on the socket behind the conn (c.SyscallConn, then Control)", v)
	}
	if _, err := c.WriteToUDPAddrPort([]byte("x"), to); err != nil {
		t.Errorf("task 1: after EnableBroadcast, a send to %v still fails: %v", to, err)
	}
	if err := EnableBroadcast(c); err != nil {
		t.Errorf("task 1: EnableBroadcast on a socket that already has the option: %v, want nil", err)
	}
	c.Close()
	if err := EnableBroadcast(c); err == nil {
		t.Error("task 1: EnableBroadcast on a closed conn returned nil; it must report the failure")
	}
}

func TestListenResponder(t *testing.T) {
	port := freePort(t)
	ctx := context.Background()
	var rs []*net.UDPConn
	for i := range 2 {
		r, err := ListenResponder(ctx, port)
		if err != nil {
			if i == 1 {
				t.Fatalf("task 2: a second responder on port %d: %v; several responders on one machine must share the port (SO_REUSEADDR, set before bind through ListenConfig.Control)", port, err)
			}
			t.Fatalf("task 2: ListenResponder(%d): %v", port, err)
		}
		defer r.Close()
		la := r.LocalAddr().(*net.UDPAddr)
		if la.Port != port {
			t.Fatalf("task 2: ListenResponder(%d) is bound to port %d", port, la.Port)
		}
		if !la.IP.IsUnspecified() {
			t.Errorf("task 2: ListenResponder is bound to %v: a socket bound to a unicast address, even 127.0.0.1, never receives a broadcast; bind the wildcard address 0.0.0.0", la)
		}
		rs = append(rs, r)
	}
	// A datagram to the broadcast address reaches every responder.
	sender := withOption(t, "0.0.0.0:0", unix.SO_BROADCAST, 1)
	to := netip.AddrPortFrom(loopbackBroadcast, uint16(port))
	if _, err := sender.WriteToUDPAddrPort([]byte("hello all"), to); err != nil {
		t.Fatal(err)
	}
	for i, r := range rs {
		if got, _ := read(t, "2", r, 3*time.Second, fmt.Sprintf("responder %d, waiting for a broadcast to %v", i+1, to)); got != "hello all" {
			t.Errorf("task 2: responder %d got %q, want %q", i+1, got, "hello all")
		}
	}
	for _, bad := range []int{0, -1, 65536, 1 << 20} {
		if r, err := ListenResponder(ctx, bad); err == nil {
			r.Close()
			t.Errorf("task 2: ListenResponder(%d) returned no error; a responder needs a fixed port from 1 to 65535 (0 would pick one no client knows)", bad)
		} else if !strings.Contains(err.Error(), fmt.Sprint(bad)) {
			t.Errorf("task 2: ListenResponder(%d): error %q does not name the port", bad, err)
		}
	}
}

// respond runs Respond on a fresh loopback socket and returns its address
// and a function that stops it and reports what Respond returned.
func respond(t *testing.T, name string) (netip.AddrPort, func() error) {
	t.Helper()
	c := withOption(t, "127.0.0.1:0", unix.SO_REUSEADDR, 1)
	stop := background.Serve(t, "task 3: Respond", func(ctx context.Context) error { return Respond(ctx, c, name) })
	return c.LocalAddr().(*net.UDPAddr).AddrPort(), stop
}

func TestRespond(t *testing.T) {
	addr, stop := respond(t, "printer-2")
	asker, other := withOption(t, "127.0.0.1:0", unix.SO_BROADCAST, 1), withOption(t, "127.0.0.1:0", unix.SO_BROADCAST, 1)
	// Nothing but the exact query earns an answer.
	for _, junk := range []string{"", "discover", "DISCOVER\n", "DISCOVERX", " DISCOVER", "DISCOVE", Query + strings.Repeat("!", 60000)} {
		if _, err := asker.WriteToUDPAddrPort([]byte(junk), addr); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := asker.WriteToUDPAddrPort([]byte(Query), addr); err != nil {
		t.Fatal(err)
	}
	got, from := read(t, "3", asker, 3*time.Second, "waiting for the answer to a query")
	if got != "HERE printer-2" {
		t.Errorf("task 3: the first answer was %q, want %q: answer the exact query only, and ignore every other datagram (empty, lowercase, longer, with a newline)", got, "HERE printer-2")
	}
	if from != addr {
		t.Errorf("task 3: the answer came from %v, want the responder's own socket %v", from, addr)
	}
	silent(t, "3", asker, 300*time.Millisecond, "a second answer to one query; junk must get no answer")
	silent(t, "3", other, 100*time.Millisecond, "a client that sent nothing got an answer; answer the sender alone")
	// It still serves after the junk, and serves everyone.
	if _, err := other.WriteToUDPAddrPort([]byte(Query), addr); err != nil {
		t.Fatal(err)
	}
	if got, _ := read(t, "3", other, 3*time.Second, "a second client's query"); got != "HERE printer-2" {
		t.Errorf("task 3: a second client got %q", got)
	}
	stop() // fails the test if Respond does not return nil
}

func TestRespondReturnsAtOnceIfStopped(t *testing.T) {
	c := withOption(t, "127.0.0.1:0", unix.SO_REUSEADDR, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := background.Wait(t, 3*time.Second, "task 3: Respond with an already ended context did not return within 3s", func() error { return Respond(ctx, c, "x") })
	if err != nil {
		t.Errorf("task 3: Respond with an ended context: %v, want nil", err)
	}
}

// responder is the tests' own responder: on every datagram it sends each of
// answers back, so it can also play a faulty or chatty one.
func responder(t *testing.T, port int, answers ...string) {
	t.Helper()
	c := withOption(t, fmt.Sprintf("0.0.0.0:%d", port), unix.SO_REUSEADDR, 1)
	go func() {
		buf := make([]byte, 2048)
		for {
			_, from, err := c.ReadFromUDPAddrPort(buf)
			if err != nil {
				return
			}
			for _, a := range answers {
				c.WriteToUDPAddrPort([]byte(a), from)
			}
		}
	}()
}

func discover(t *testing.T, c *net.UDPConn, to netip.AddrPort, wait time.Duration) ([]Peer, time.Duration) {
	t.Helper()
	start := time.Now()
	peers, err := Discover(context.Background(), c, to, wait)
	took := time.Since(start)
	if err != nil {
		t.Fatalf("task 4: Discover(%v): %v", to, err)
	}
	return peers, took
}

func TestDiscover(t *testing.T) {
	port := freePort(t)
	responder(t, port, "HERE beta")
	responder(t, port, "HERE alpha", "HERE alpha") // says it twice
	responder(t, port, "HELLO", "HERE", "", "here gamma")
	to := netip.AddrPortFrom(loopbackBroadcast, uint16(port))

	// SO_BROADCAST is off on this socket: Discover must turn it on.
	c := noBroadcast(t)
	peers, took := discover(t, c, to, time.Second)
	from := netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(port))
	want := []Peer{{from, "alpha"}, {from, "beta"}}
	if !slices.Equal(peers, want) {
		t.Errorf("task 4: Discover found %v, want %v: every distinct \"HERE name\" answer once, sorted by name; ignore answers without a name or without the prefix", peers, want)
	}
	if took < 900*time.Millisecond {
		t.Errorf("task 4: Discover returned after %v, before its 1s wait was over: answers may still be on their way", took)
	}
	if took > 4*time.Second {
		t.Errorf("task 4: Discover took %v for a 1s wait", took)
	}
	if v := broadcastOption(t, c); v != 1 {
		t.Errorf("task 4: Discover did not leave SO_BROADCAST on (getsockopt = %d)", v)
	}
}

func TestDiscoverNobody(t *testing.T) {
	c := noBroadcast(t)
	peers, took := discover(t, c, netip.AddrPortFrom(loopbackBroadcast, uint16(freePort(t))), 200*time.Millisecond)
	if len(peers) != 0 {
		t.Errorf("task 4: nobody listens, yet Discover found %v", peers)
	}
	if took > 3*time.Second {
		t.Errorf("task 4: Discover took %v for a 200ms wait with nobody answering", took)
	}
}

func TestDiscoverReportsSendFailure(t *testing.T) {
	c := noBroadcast(t)
	c.Close()
	to := netip.AddrPortFrom(loopbackBroadcast, 9)
	if _, err := Discover(context.Background(), c, to, 100*time.Millisecond); err == nil {
		t.Error("task 4: Discover on a closed socket returned no error")
	}
}

func TestEndToEnd(t *testing.T) {
	port := freePort(t)
	var stops []func() error
	for _, name := range []string{"scanner", "printer"} {
		r, err := ListenResponder(context.Background(), port)
		if err != nil {
			t.Fatalf("tasks 2-4: ListenResponder: %v", err)
		}
		t.Cleanup(func() { r.Close() })
		stops = append(stops, background.Serve(t, "tasks 2-4: Respond", func(ctx context.Context) error { return Respond(ctx, r, name) }))
	}
	peers, _ := discover(t, noBroadcast(t), netip.AddrPortFrom(loopbackBroadcast, uint16(port)), time.Second)
	var names []string
	for _, p := range peers {
		names = append(names, p.Name)
	}
	if want := []string{"printer", "scanner"}; !slices.Equal(names, want) {
		t.Errorf("tasks 2-4: two responders sharing port %d, one broadcast query: found %v, want %v", port, names, want)
	}
	for _, stop := range stops {
		stop()
	}
}
