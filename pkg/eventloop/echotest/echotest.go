// Package echotest is a conformance suite for echo servers, used to hold
// every event-loop server in sockbook (select, poll, epoll, kqueue, the
// selectors echo and its TLS variant) to the same acceptance tests: a large
// message, a thousand clients at once, a slow reader, a client that
// resets, half-close, and a clean shutdown that leaks no descriptor or
// goroutine.
package echotest

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// A Target is a running server under test.
type Target struct {
	// Addr is the TCP address the server listens on.
	Addr string
	// Dial connects a client; nil means plain TCP. A TLS server sets a
	// Dial that completes the handshake. The connection must have
	// CloseWrite (as *net.TCPConn and *tls.Conn do).
	Dial func(ctx context.Context, addr string) (net.Conn, error)
	// Backlog, when not nil, returns the most data the server ever held for one client
	// and how many times it paused reading from a client because of it;
	// the slow-reader test requires the first to stay within Cap and the
	// second to become non-zero.
	Backlog func() (maxPending, pauses int64)
	// Cap is the per-client bound the server promises.
	Cap int64
	// Stop ends the server (cancels its context) and returns what its
	// Serve returned. It is called again at cleanup, so it must be
	// idempotent.
	Stop func() error
}

// A Starter starts a fresh server on 127.0.0.1:0 for one test.
type Starter func(t *testing.T) *Target

// Run runs every acceptance test against servers from start. The tests do
// not run in parallel: they count the process's descriptors.
func Run(t *testing.T, start Starter) {
	for _, tc := range []struct {
		name string
		test func(*testing.T, *Target)
	}{
		{"Echo", testEcho},
		{"OneMiB", testOneMiB},
		{"ThousandClients", testThousandClients},
		{"SlowReader", testSlowReader},
		{"ResetMidMessage", testReset},
		{"HalfClose", testHalfClose},
		{"Shutdown", testShutdown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "ThousandClients" {
				RaiseFDLimit(t, 4096)
			}
			testenv.CheckFDs(t)
			tg := start(t)
			t.Cleanup(func() { assert.NoError(t, tg.Stop(), "Serve's result") })
			tc.test(t, tg)
		})
	}
}

// RaiseFDLimit raises the soft limit on open descriptors to want, or to
// the hard limit if that is lower, and restores it when t ends. It skips t
// when even the hard limit is below want.
func RaiseFDLimit(t testing.TB, want uint64) {
	t.Helper()
	var old unix.Rlimit
	require.NoError(t, unix.Getrlimit(unix.RLIMIT_NOFILE, &old))
	if uint64(old.Cur) >= want {
		return
	}
	if uint64(old.Max) < want {
		t.Skipf("needs %d descriptors; the hard limit is %d", want, old.Max)
	}
	raised := old
	set(&raised.Cur, want)
	require.NoError(t, unix.Setrlimit(unix.RLIMIT_NOFILE, &raised))
	t.Cleanup(func() { _ = unix.Setrlimit(unix.RLIMIT_NOFILE, &old) })
}

// set stores v in an rlimit field, which is uint64 on most systems and
// int64 on FreeBSD.
func set[T int64 | uint64](field *T, v uint64) { *field = T(v) }

func dial(t testing.TB, tg *Target) net.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var c net.Conn
	var err error
	if tg.Dial != nil {
		c, err = tg.Dial(ctx, tg.Addr)
	} else {
		var d net.Dialer
		c, err = d.DialContext(ctx, "tcp", tg.Addr)
	}
	require.NoError(t, err)
	// Generous: a deadline here only turns a hang into a failure.
	require.NoError(t, c.SetDeadline(time.Now().Add(60*time.Second)))
	return c
}

// roundTrip sends msg and requires it back.
func roundTrip(t testing.TB, c net.Conn, msg []byte) {
	t.Helper()
	_, err := c.Write(msg)
	require.NoError(t, err)
	got := make([]byte, len(msg))
	_, err = io.ReadFull(c, got)
	require.NoError(t, err)
	require.Equal(t, msg, got)
}

func closeWrite(t testing.TB, c net.Conn) {
	t.Helper()
	cw, ok := c.(interface{ CloseWrite() error })
	require.True(t, ok, "%T has no CloseWrite", c)
	require.NoError(t, cw.CloseWrite())
}

func testEcho(t *testing.T, tg *Target) {
	a, b := dial(t, tg), dial(t, tg)
	defer a.Close()
	defer b.Close()
	roundTrip(t, a, []byte("Hello\n"))
	roundTrip(t, b, []byte("Ker Ker\n"))
	roundTrip(t, a, []byte("Hello Python Socket Programming\n"))
}

func testOneMiB(t *testing.T, tg *Target) {
	c := dial(t, tg)
	defer c.Close()
	msg := make([]byte, 1<<20)
	_, _ = rand.Read(msg)
	// Write from another goroutine: the server echoes while we are still
	// sending, and neither side's buffers hold a whole MiB.
	werr := make(chan error, 1)
	go func() {
		_, err := c.Write(msg)
		if err == nil {
			err = c.(interface{ CloseWrite() error }).CloseWrite()
		}
		werr <- err
	}()
	got, err := io.ReadAll(c)
	require.NoError(t, err)
	require.NoError(t, <-werr)
	require.Equal(t, len(msg), len(got))
	require.True(t, bytes.Equal(msg, got), "1 MiB echo differs")
}

// clientsEnv carries "ADDRESS COUNT" to the child process that runs the
// thousand clients.
const clientsEnv = "ECHOTEST_CLIENTS"

// ClientMain must be the first call in TestMain of a package that uses
// Run. In the child process that Run starts for the thousand-client test
// it runs the clients and exits; everywhere else it returns at once.
//
// Plain TCP clients run in a child so that their descriptors do not count
// against the server's: a select server can watch descriptors below 1024
// only, and a thousand clients in the same process would push the
// server's past that.
func ClientMain() {
	spec, ok := os.LookupEnv(clientsEnv)
	if !ok {
		return
	}
	addr, count, _ := strings.Cut(spec, " ")
	n, err := strconv.Atoi(count)
	if err == nil {
		err = exchange(n, func() (net.Conn, error) { return net.DialTimeout("tcp", addr, 10*time.Second) })
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("echotest: %d clients echoed\n", n)
	os.Exit(0)
}

func testThousandClients(t *testing.T, tg *Target) {
	const n = 1000
	if tg.Dial != nil {
		require.NoError(t, exchange(n, func() (net.Conn, error) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			return tg.Dial(ctx, tg.Addr)
		}))
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s %d", clientsEnv, tg.Addr, n))
	out, err := cmd.Output()
	var stderr []byte
	if ee, ok := err.(*exec.ExitError); ok {
		stderr = ee.Stderr
	}
	require.NoError(t, err, "client process:\n%s", stderr)
	require.Equal(t, fmt.Sprintf("echotest: %d clients echoed\n", n), string(out),
		"the client process ran no clients: call echotest.ClientMain first in TestMain")
}

// exchange connects n clients, all at once so that the server holds them
// together, then has each send a different message and read it back.
func exchange(n int, dial func() (net.Conn, error)) error {
	conns := make([]net.Conn, 0, n)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for i := range n {
		c, err := dial()
		if err != nil {
			return fmt.Errorf("client %d of %d: %w", i, n, err)
		}
		conns = append(conns, c)
		// Generous: a deadline here only turns a hang into a failure.
		if err := c.SetDeadline(time.Now().Add(60 * time.Second)); err != nil {
			return err
		}
	}
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i, c := range conns {
		wg.Go(func() {
			msg := fmt.Appendf(nil, "client %d says hello %s\n", i, bytes.Repeat([]byte{'x'}, i%200))
			if _, err := c.Write(msg); err != nil {
				errs[i] = fmt.Errorf("client %d: %w", i, err)
				return
			}
			got := make([]byte, len(msg))
			if _, err := io.ReadFull(c, got); err != nil {
				errs[i] = fmt.Errorf("client %d: %w", i, err)
				return
			}
			if !bytes.Equal(got, msg) {
				errs[i] = fmt.Errorf("client %d: got %q, want %q", i, got, msg)
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// testSlowReader sends far more than all the buffers on the way hold,
// without reading, until the server reports that it paused reading from
// this client. The server must keep serving others meanwhile, keep the
// client's backlog within its cap, and then deliver every byte.
func testSlowReader(t *testing.T, tg *Target) {
	const total = 32 << 20
	slow := dial(t, tg)
	defer slow.Close()
	werr := make(chan error, 1)
	go func() {
		chunk := make([]byte, 256<<10)
		for sent := 0; sent < total; sent += len(chunk) {
			for i := range chunk {
				chunk[i] = byte((sent + i) % 251)
			}
			if _, err := slow.Write(chunk); err != nil {
				werr <- err
				return
			}
		}
		werr <- nil
	}()

	// The wait only bounds a hang; nothing is asserted about speed. A
	// server without Backlog (a goroutine per client, bounded by its copy
	// buffer by construction) is only checked for serving others and
	// losing nothing.
	if tg.Backlog != nil {
		require.Eventually(t, func() bool {
			_, pauses := tg.Backlog()
			return pauses > 0
		}, 30*time.Second, 5*time.Millisecond, "the server never paused reading from a client that does not read")
	}

	other := dial(t, tg)
	defer other.Close()
	roundTrip(t, other, []byte("still serving others\n"))

	got := make([]byte, 1<<20)
	for read := 0; read < total; {
		n, err := slow.Read(got)
		for i, b := range got[:n] {
			if want := byte((read + i) % 251); b != want {
				t.Fatalf("byte %d of %d echoed as %d, want %d", read+i, total, b, want)
			}
		}
		read += n
		require.NoError(t, err, "after %d of %d bytes", read, total)
	}
	require.NoError(t, <-werr)
	if tg.Backlog != nil {
		maxPending, _ := tg.Backlog()
		assert.LessOrEqual(t, maxPending, tg.Cap, "a client's pending output exceeded the cap")
	}
}

func testReset(t *testing.T, tg *Target) {
	other := dial(t, tg)
	defer other.Close()
	roundTrip(t, other, []byte("before\n"))

	var d net.Dialer
	rude, err := d.Dial("tcp", tg.Addr)
	require.NoError(t, err)
	_, err = rude.Write(bytes.Repeat([]byte("half a mess"), 10000))
	require.NoError(t, err)
	// Linger 0: close sends RST instead of FIN and drops unsent data.
	require.NoError(t, rude.(*net.TCPConn).SetLinger(0))
	require.NoError(t, rude.Close())

	roundTrip(t, other, []byte("after\n"))
	again := dial(t, tg)
	defer again.Close()
	roundTrip(t, again, []byte("and a new client\n"))
}

func testHalfClose(t *testing.T, tg *Target) {
	c := dial(t, tg)
	defer c.Close()
	_, err := c.Write([]byte("last words\n"))
	require.NoError(t, err)
	closeWrite(t, c)
	got, err := io.ReadAll(c)
	require.NoError(t, err)
	assert.Equal(t, "last words\n", string(got))
}

func testShutdown(t *testing.T, tg *Target) {
	c := dial(t, tg)
	defer c.Close()
	roundTrip(t, c, []byte("hello\n"))
	require.NoError(t, tg.Stop())

	// The server closed our connection...
	rest, err := io.ReadAll(c)
	if err != nil {
		require.ErrorIs(t, err, unix.ECONNRESET)
	}
	assert.Empty(t, rest)
	// ...and its listener.
	_, err = net.DialTimeout("tcp", tg.Addr, 5*time.Second)
	require.Error(t, err)
}
