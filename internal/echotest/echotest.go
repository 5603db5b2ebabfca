// Package echotest is the reliability suite every stream echo server in
// sockbook must pass, from the goroutine-per-client servers (tcpecho,
// unixecho, threadserver, socketserver, tlsecho) to the raw event loops
// (eventloop, selectors): echoes on lasting connections, a large message,
// many clients at once, a client that does not read, resets, half-close,
// idle timeouts, and a shutdown that loses no echo and leaks no
// descriptor.
//
// Servers differ in what they promise, so a Target says which of the
// optional checks apply: an idle timeout, echoing on shutdown what the
// kernel received but the server had not yet read, and counters that show
// the server bounding a slow reader's backlog. Everything else runs
// against every server.
package echotest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/pkg/eventloop"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A Target is an echo server under test.
type Target struct {
	// Start starts a server that echoes until ctx ends, closing idle
	// connections after idle (0: never). It returns the address to dial
	// and a function that waits for the server to stop and returns its
	// error. Each subtest starts its own server.
	Start func(ctx context.Context, idle time.Duration) (addr net.Addr, wait func() error, err error)

	// Dial connects a client to addr. The connection must support
	// CloseWrite. Nil means a plain net.Dialer on addr's network.
	Dial func(ctx context.Context, addr net.Addr) (net.Conn, error)

	// Clients is the number of clients ConcurrentClients connects at once;
	// 0 means 200.
	Clients int

	// ChildClients runs ConcurrentClients's clients in a child process
	// (the test binary run again, whose TestMain must call ClientMain
	// first), so that their descriptors do not count against the
	// server's: a select(2) server can watch only descriptors below
	// FD_SETSIZE. The child dials plainly, so Dial must be nil.
	ChildClients bool

	// NoIdleTimeout says the server has no idle timeout; IdleTimeout is
	// skipped and Start is always passed 0.
	NoIdleTimeout bool

	// ShutdownDropsUnread says the server stops reading the moment its
	// context ends, so data that reached its host but that it had not
	// read yet is not echoed (the event loops finish writing only what
	// they already read). ShutdownEchoesReceivedData is skipped; Shutdown
	// still checks that connections and listener close and nothing leaks.
	ShutdownDropsUnread bool

	// Backlog, when not nil, reports on the server Start started last:
	// the most data it ever held for one client, and how many times it
	// paused reading from a client because of that. SlowReader then
	// requires a pause and a backlog within MaxPending.
	Backlog func() (maxPending, pauses int64)

	// MaxPending is the per-client backlog the server promises; it goes
	// with Backlog.
	MaxPending int64
}

// Run runs the whole suite against tg as subtests of t. The subtests do
// not run in parallel: they count the process's descriptors.
func Run(t *testing.T, tg Target) {
	if tg.ChildClients && tg.Dial != nil {
		t.Fatal("echotest: a Target with ChildClients must leave Dial nil: the child process dials plainly")
	}
	if tg.Backlog != nil && tg.MaxPending <= 0 {
		t.Fatal("echotest: a Target with Backlog must set the MaxPending it promises")
	}
	for _, st := range []struct {
		name string
		test func(*testing.T, Target)
	}{
		{"Echo", echoes},
		{"LargeMessage", largeMessage},
		{"ConcurrentClients", concurrentClients},
		{"SlowReader", slowReader},
		{"ResetMidMessage", resetMidMessage},
		{"HalfClose", halfClose},
		{"IdleTimeout", idleTimeout},
		{"Shutdown", shutdown},
		{"ShutdownEchoesReceivedData", shutdownEchoes},
		{"ShutdownWithStuckClient", shutdownStuckClient},
	} {
		t.Run(st.name, func(t *testing.T) {
			testenv.CheckFDs(t)
			st.test(t, tg)
		})
	}
}

// A server is one run of the target's server, for one subtest.
type server struct {
	tg   Target
	addr net.Addr
	// stop ends the server's context and returns what the server
	// returned, or an error if it does not stop within 20 s. It may be
	// called from any goroutine; later calls return the first result.
	stop func() error
}

// start runs a server for the length of one subtest and checks at its end
// that the server stopped cleanly.
func start(t *testing.T, tg Target, idle time.Duration) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addr, wait, err := tg.Start(ctx, idle)
	if err != nil {
		cancel()
		require.NoError(t, err, "start the server")
	}
	s := &server{tg: tg, addr: addr}
	s.stop = sync.OnceValue(func() error {
		cancel()
		return waitWithin(wait, 20*time.Second)
	})
	t.Cleanup(func() { assert.NoError(t, s.stop(), "the server's result") })
	return s
}

// waitWithin returns what wait returns, or an error if that takes longer
// than d.
func waitWithin(wait func() error, d time.Duration) error {
	done := make(chan error, 1)
	go func() { done <- wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		return fmt.Errorf("the server did not stop within %v of its context ending", d)
	}
}

// dial connects a client the target's way.
func (s *server) dial(t *testing.T) net.Conn {
	t.Helper()
	if s.tg.Dial == nil {
		return s.dialPlain(t)
	}
	return connect(t, s.addr, s.tg.Dial)
}

// dialPlain connects a client that speaks no protocol on top of the
// stream, as nc does: to a TLS server, a client that does not speak TLS.
func (s *server) dialPlain(t *testing.T) net.Conn {
	t.Helper()
	return connect(t, s.addr, dialPlain)
}

// connect dials with deadlines that only turn a hang into a failure.
func connect(t *testing.T, addr net.Addr, dial func(context.Context, net.Addr) (net.Conn, error)) net.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := dial(ctx, addr)
	require.NoError(t, err, "dial %s", addr)
	require.NoError(t, c.SetDeadline(time.Now().Add(60*time.Second)))
	return c
}

// dialPlain connects to addr on its network, with nothing on top.
func dialPlain(ctx context.Context, addr net.Addr) (net.Conn, error) {
	var d net.Dialer
	return d.DialContext(ctx, addr.Network(), loopback(addr).String())
}

// loopback returns addr, with an unspecified IP ("[::]:5566", from a
// dual-stack listener) replaced by the loopback address of its family,
// so that the suite's traffic stays on loopback by name.
func loopback(addr net.Addr) net.Addr {
	ta, ok := addr.(*net.TCPAddr)
	if !ok || !ta.IP.IsUnspecified() {
		return addr
	}
	ip := net.IPv6loopback
	if ta.IP.To4() != nil {
		ip = net.IPv4(127, 0, 0, 1)
	}
	return &net.TCPAddr{IP: ip, Port: ta.Port}
}

// closeWrite half-closes c: "that is all I will send".
func closeWrite(t *testing.T, c net.Conn) {
	t.Helper()
	cw, ok := c.(interface{ CloseWrite() error })
	require.True(t, ok, "%T has no CloseWrite", c)
	require.NoError(t, cw.CloseWrite())
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// RequireEcho sends msg on c and requires it back, without closing
// anything.
func RequireEcho(t *testing.T, c net.Conn, msg string) {
	t.Helper()
	_, err := c.Write([]byte(msg))
	require.NoError(t, err)
	got := make([]byte, len(msg))
	_, err = io.ReadFull(c, got)
	require.NoError(t, err, "waiting for the echo of %q", msg)
	require.Equal(t, msg, string(got))
}

// A Server is what every stream server in sockbook is: configured by its
// fields, run by Serve until ctx ends, when it closes ln and returns nil.
type Server interface {
	Serve(ctx context.Context, ln net.Listener) error
}

// Serve listens on network and address and runs srv there until ctx
// ends, for a Target's Start. wait returns what Serve returned.
func Serve(ctx context.Context, network, address string, srv Server) (addr net.Addr, wait func() error, err error) {
	return ServeListener(ctx, func(ctx context.Context) (net.Listener, error) {
		var lc net.ListenConfig
		return lc.Listen(ctx, network, address)
	}, srv)
}

// ServeListener is Serve for a listener made the package's own way
// (tcpecho.Listen, unixecho.Listen): it runs srv on what listen returns.
func ServeListener(ctx context.Context, listen func(context.Context) (net.Listener, error), srv Server) (addr net.Addr, wait func() error, err error) {
	ln, err := listen(ctx)
	if err != nil {
		return nil, nil, err
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	return ln.Addr(), func() error { return <-done }, nil
}

// ServeTest serves srv on a free loopback TCP port until t ends, then
// requires Serve's nil within 20 s, and returns the address to dial.
func ServeTest(t testing.TB, srv Server) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addr, wait, err := Serve(ctx, "tcp", "127.0.0.1:0", srv)
	require.NoError(t, err)
	t.Cleanup(func() {
		cancel()
		assert.NoError(t, waitWithin(wait, 20*time.Second), "Serve's result")
	})
	return addr.String()
}

// RoundTrips is the body of the echo benchmarks: it serves srv as
// ServeTest does, connects to it with dial (nil: plain TCP), and sends
// and reads back one small message per iteration.
func RoundTrips(b *testing.B, srv Server, dial func(addr string) (net.Conn, error)) {
	if dial == nil {
		dial = func(addr string) (net.Conn, error) { return net.Dial("tcp", addr) }
	}
	c, err := dial(ServeTest(b, srv))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	msg := []byte("Hello Python Socket Programming\n")
	got := make([]byte, len(msg))
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		if _, err := c.Write(msg); err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(c, got); err != nil {
			b.Fatal(err)
		}
	}
}

// A LoopServer is an event-loop server, of package eventloop or
// selectors, with its counters.
type LoopServer interface {
	Server
	Stats() eventloop.Stats
}

// LoopTarget describes to the suite the event-loop servers newServer
// makes, which promise to hold at most maxPending bytes for a client.
// Such a server keeps counters of its backlogs, has no idle timeout, and
// on shutdown echoes only what it already read. A thousand clients
// connect at once; they run in a child process (ChildClients), so that
// select's descriptors stay below FD_SETSIZE, unless the caller sets Dial
// and ChildClients false.
func LoopTarget(newServer func() LoopServer, maxPending int64) Target {
	var last LoopServer
	return Target{
		Start: func(ctx context.Context, _ time.Duration) (net.Addr, func() error, error) {
			last = newServer()
			return Serve(ctx, "tcp", "127.0.0.1:0", last)
		},
		Clients:             1000,
		ChildClients:        true,
		NoIdleTimeout:       true,
		ShutdownDropsUnread: true,
		Backlog: func() (int64, int64) {
			st := last.Stats()
			return st.MaxPending, st.ReadPauses
		},
		MaxPending: maxPending,
	}
}
