package kvserver

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/sockbook/sockbook/pkg/socketserver"
	"github.com/sockbook/sockbook/tutorials/exercises/internal/background"
)

// running is a server under test.
type running struct {
	addr string
	stop func() error // cancels Serve and reports what it returned
}

// start serves srv on a loopback port until the test ends.
func start(t *testing.T, srv *socketserver.Server) running {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	stop := background.Serve(t, "Serve", func(ctx context.Context) error { return srv.Serve(ctx, ln) })
	return running{ln.Addr().String(), stop}
}

// serveKV runs the learner's Handler under the project's server.
func serveKV(t *testing.T, maxConns int) running {
	return start(t, &socketserver.Server{Handler: &Handler{Store: NewStore()}, MaxConns: maxConns})
}

type client struct {
	t    *testing.T
	conn net.Conn
	r    *bufio.Reader
}

func dial(t *testing.T, addr string) *client {
	t.Helper()
	conn, err := net.Dial("tcp4", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return &client{t, conn, bufio.NewReader(conn)}
}

// line reads one reply line, without its "\n", or fails after d.
func (c *client) line(task string, d time.Duration, after string) string {
	c.t.Helper()
	c.conn.SetReadDeadline(time.Now().Add(d))
	s, err := c.r.ReadString('\n')
	if err != nil {
		c.t.Fatalf("task %s: no reply line within %v after %s: %v (got %q so far)", task, d, after, err, s)
	}
	return strings.TrimSuffix(s, "\n")
}

func (c *client) ready(task string) {
	c.t.Helper()
	if got := c.line(task, 3*time.Second, "connecting"); got != "READY" {
		c.t.Fatalf("task %s: the greeting is %q, want \"READY\"", task, got)
	}
}

func (c *client) send(s string) {
	c.t.Helper()
	if _, err := io.WriteString(c.conn, s); err != nil {
		c.t.Fatalf("send %.40q: %v", s, err)
	}
}

// ask sends cmd and a line end and returns the reply.
func (c *client) ask(task, cmd string) string {
	c.t.Helper()
	c.send(cmd + "\n")
	return c.line(task, 3*time.Second, fmt.Sprintf("%.60q", cmd))
}

// closed fails unless the server closes the connection within d, sending
// nothing more.
func (c *client) closed(task string, d time.Duration, why string) {
	c.t.Helper()
	c.conn.SetReadDeadline(time.Now().Add(d))
	rest, err := io.ReadAll(c.r)
	// Closing a socket with unread input makes the kernel reset the
	// connection: that is closed too.
	if errors.Is(err, syscall.ECONNRESET) {
		err = nil
	}
	if err != nil {
		c.t.Errorf("task %s: the connection was still open %v later (%v): %s", task, d, err, why)
	} else if len(rest) > 0 {
		c.t.Errorf("task %s: after the last reply the server sent %q: %s", task, rest, why)
	}
}

func TestProtocol(t *testing.T) {
	c := dial(t, serveKV(t, 0).addr)
	c.ready("1")
	for _, step := range []struct{ send, want, why string }{
		{"SET a 1", "OK", "SET key value stores value"},
		{"GET a", "VALUE 1", "GET answers VALUE and the value"},
		{"SET msg hello  world", "OK", ""},
		{"GET msg", "VALUE hello  world", "the value is the rest of the line, spaces and all"},
		{"GET nope", "NOTFOUND", "an unset key"},
		{"SET a 2\r", "OK", "a line may end in \\r\\n, as telnet sends it"},
		{"GET a\r", "VALUE 2", "SET replaces a value; \\r is not part of the key"},
		{"DEL a", "OK", "DEL removes a key"},
		{"DEL a", "NOTFOUND", "DEL of an unset key"},
		{"GET a", "NOTFOUND", "a deleted key is gone"},
	} {
		if got := c.ask("1", step.send); got != step.want {
			t.Errorf("task 1: %q answered %q, want %q (%s)", step.send, got, step.want, step.why)
		}
	}
	// Each bad command is answered with "ERR " and a reason, and the
	// connection goes on.
	for _, bad := range []string{"", "get msg", "SET", "SET k", "SET  v", "GET", "GET a b", "DEL", "DEL a b", "PING", "\x00\xff\xfe", " GET msg"} {
		if got := c.ask("1", bad); !strings.HasPrefix(got, "ERR ") || len(got) < len("ERR x") {
			t.Errorf("task 1: the bad command %q answered %q, want \"ERR \" and a reason", bad, got)
		}
	}
	if got := c.ask("1", "GET msg"); got != "VALUE hello  world" {
		t.Errorf("task 1: after the bad commands, GET msg answered %q; a bad command must not end the session or change the store", got)
	}
	if got := c.ask("1", "QUIT"); got != "BYE" {
		t.Errorf("task 1: QUIT answered %q, want \"BYE\"", got)
	}
	c.closed("1", 3*time.Second, "after BYE the handler returns, and the server closes the connection")
}

func TestStoreIsShared(t *testing.T) {
	addr := serveKV(t, 0).addr
	a, b := dial(t, addr), dial(t, addr)
	a.ready("1")
	b.ready("1")
	if got := a.ask("1", "SET shared from-a"); got != "OK" {
		t.Fatalf("task 1: SET answered %q", got)
	}
	if got := b.ask("1", "GET shared"); got != "VALUE from-a" {
		t.Errorf("task 1: client b read %q for a key client a set, want \"VALUE from-a\": every connection uses the one Store", got)
	}
	// Many clients at once (run with -race). Dial and greet in the test's
	// goroutine, where a failure may stop the test.
	var cs []*client
	for range 16 {
		c := dial(t, addr)
		c.ready("1")
		cs = append(cs, c)
	}
	var wg sync.WaitGroup
	for i, c := range cs {
		wg.Go(func() {
			for j := range 20 {
				key, val := fmt.Sprintf("k%d", i), fmt.Sprintf("v%d.%d", i, j)
				for _, step := range [][2]string{{"SET " + key + " " + val, "OK"}, {"GET " + key, "VALUE " + val}} {
					c.conn.SetDeadline(time.Now().Add(3 * time.Second))
					_, err := io.WriteString(c.conn, step[0]+"\n")
					got := ""
					if err == nil {
						got, err = c.r.ReadString('\n')
					}
					if got = strings.TrimSuffix(got, "\n"); err != nil || got != step[1] {
						t.Errorf("task 1: client %d of 16 at once: %q answered %q, %v; want %q", i, step[0], got, err, step[1])
						return
					}
				}
			}
		})
	}
	wg.Wait()
}

func TestLongLines(t *testing.T) {
	addr := serveKV(t, 0).addr
	c := dial(t, addr)
	c.ready("1")
	// Exactly MaxLine bytes is allowed, with either line end.
	exact := "SET big " + strings.Repeat("x", MaxLine-len("SET big "))
	for _, end := range []string{"\n", "\r\n"} {
		c.send(exact + end)
		if got := c.line("1", 3*time.Second, "a line of exactly MaxLine bytes"); got != "OK" {
			t.Fatalf("task 1: a command of exactly MaxLine (%d) bytes and %q answered %.60q, want OK", MaxLine, end, got)
		}
	}
	c.send(exact + "y\n")
	if got := c.line("1", 3*time.Second, "a line of MaxLine+1 bytes"); !strings.HasPrefix(got, "ERR ") {
		t.Errorf("task 1: a command of MaxLine+1 bytes answered %.60q, want \"ERR \" and a reason", got)
	}
	c.closed("1", 3*time.Second, "a line longer than MaxLine ends the connection (there is no telling where the next command starts)")

	// A client that sends and sends without a line end is refused as soon
	// as MaxLine is passed, not when it stops.
	flood := dial(t, addr)
	flood.ready("1")
	go io.Copy(flood.conn, endless{})
	if got := flood.line("1", 3*time.Second, "an endless line"); !strings.HasPrefix(got, "ERR ") {
		t.Errorf("task 1: an endless line answered %.60q, want \"ERR \" and a reason", got)
	}
	flood.closed("1", 3*time.Second, "an endless line must not hold the server's memory or its goroutine")

	other := dial(t, addr)
	other.ready("1")
	if got := other.ask("1", "GET big"); got != "VALUE "+exact[len("SET big "):] {
		t.Errorf("task 1: after the long lines, another client's GET big answered %.40q…", got)
	}
}

// endless is an io.Reader of "a" for ever.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	return len(p), nil
}

func TestClientGoesAway(t *testing.T) {
	// With room for one client, the next is served only once the handler
	// of the first has returned.
	addr := serveKV(t, 1).addr
	c := dial(t, addr)
	c.ready("1")
	c.send("SET half 1") // no line end: not a command yet
	c.conn.Close()
	next := dial(t, addr)
	next.ready("1") // fails if the first handler never returned
	if got := next.ask("1", "GET half"); got != "NOTFOUND" {
		t.Errorf("task 1: a client sent \"SET half 1\" without a line end and left; GET half then answered %q, want NOTFOUND: an unfinished line is not a command", got)
	}
}

func TestShutdown(t *testing.T) {
	srv := serveKV(t, 0)
	idle, busy := dial(t, srv.addr), dial(t, srv.addr)
	idle.ready("2")
	busy.ready("2")
	busy.send("GET som") // half a command
	time.Sleep(50 * time.Millisecond)
	start := time.Now()
	if err := srv.stop(); err != nil {
		t.Fatal("task 2: make a blocked read return when ctx ends (context.AfterFunc and a deadline)")
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("task 2: Serve took %v to stop", took)
	}
	for name, c := range map[string]*client{"an idle client": idle, "a client in mid-command": busy} {
		if got := c.line("2", time.Second, "shutdown"); got != "BYE" {
			t.Errorf("task 2: at shutdown %s got %q, want \"BYE\"", name, got)
		}
		c.closed("2", time.Second, "after BYE")
	}
}

// logBuffer collects what a slog.Logger writes, safely from many goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newServer(t *testing.T, h socketserver.Handler, maxConns int, log *logBuffer) running {
	t.Helper()
	srv := NewServer(h, maxConns, slog.New(slog.NewTextHandler(log, nil)))
	if srv == nil {
		t.Fatal("task 3: NewServer returned nil")
	}
	return start(t, srv)
}

func TestMaxConns(t *testing.T) {
	var log logBuffer
	addr := newServer(t, &Handler{Store: NewStore()}, 2, &log).addr
	a, b := dial(t, addr), dial(t, addr)
	a.ready("3")
	b.ready("3")
	// The third client connects (the kernel's backlog accepts it) but is
	// not served while two are.
	c := dial(t, addr)
	c.conn.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	if s, err := c.r.ReadString('\n'); err == nil {
		t.Fatalf("task 3: with MaxConns 2 and two clients served, a third was greeted with %q; pass maxConns to the server", s)
	}
	a.ask("3", "QUIT")
	c.ready("3") // once a finishes, c is served
	if got := c.ask("3", "SET x 1"); got != "OK" {
		t.Errorf("task 3: the third client, once served: %q", got)
	}
}

func TestPanicIsContained(t *testing.T) {
	var log logBuffer
	var panicNext atomic.Bool
	h := &Handler{Store: NewStore()}
	wrapped := socketserver.HandlerFunc(func(ctx context.Context, conn net.Conn) {
		if panicNext.Swap(false) {
			panic("test: this handler panics")
		}
		h.ServeConn(ctx, conn)
	})
	addr := newServer(t, wrapped, 0, &log).addr
	ok := dial(t, addr)
	ok.ready("3")
	panicNext.Store(true)
	victim := dial(t, addr)
	victim.closed("3", 3*time.Second, "a panicking handler's connection is closed")
	if got := ok.ask("3", "SET after panic"); got != "OK" {
		t.Errorf("task 3: a client connected before the panic: %q", got)
	}
	late := dial(t, addr)
	late.ready("3")
	if got := late.ask("3", "GET after"); got != "VALUE panic" {
		t.Errorf("task 3: a client connected after the panic: %q", got)
	}
	deadline := time.Now().Add(3 * time.Second)
	for !strings.Contains(log.String(), "this handler panics") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if !strings.Contains(log.String(), "this handler panics") {
		t.Errorf("task 3: the panic is not in the server's log (got %q); give the server the logger", log.String())
	}
}
