package eventloop_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/sockbook/sockbook/internal/echotest"
	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/pkg/eventloop"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
	"golang.org/x/sys/unix"
)

func TestMain(m *testing.M) {
	echotest.ClientMain()
	goleak.VerifyTestMain(m)
}

// testConfig has a small per-client cap, so the slow-reader test reaches
// it quickly and proves the server holds to it, and a short drain, so a
// client that never reads holds up shutdown only briefly.
var testConfig = eventloop.Config{MaxPending: 16 << 10, DrainTimeout: 250 * time.Millisecond}

var mechanisms = []eventloop.Mechanism{eventloop.Select, eventloop.Poll, eventloop.Epoll, eventloop.Kqueue}

// serve starts a server with mechanism m on a free loopback port, serving
// until ctx ends; wait returns Serve's result.
func serve(ctx context.Context, m eventloop.Mechanism) (s *eventloop.Server, wait func() error, err error) {
	s, err = eventloop.Listen(m, "127.0.0.1:0", &testConfig)
	if err != nil {
		return nil, nil, err
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	return s, func() error { return <-done }, nil
}

// serveTest serves with m until t ends, then requires Serve's nil.
func serveTest(t testing.TB, m eventloop.Mechanism) *eventloop.Server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s, wait, err := serve(ctx, m)
	require.NoError(t, err)
	t.Cleanup(func() {
		cancel()
		assert.NoError(t, wait(), "Serve's result")
	})
	return s
}

// target describes m's server to the echo suite. The loops keep counters
// of their backlogs but have no idle timeout, and on shutdown echo only
// what they already read. A thousand clients run in a child process so
// that select's descriptors stay below FD_SETSIZE.
func target(m eventloop.Mechanism) echotest.Target {
	var last *eventloop.Server
	return echotest.Target{
		Start: func(ctx context.Context, _ time.Duration) (net.Addr, func() error, error) {
			s, wait, err := serve(ctx, m)
			if err != nil {
				return nil, nil, err
			}
			last = s
			return s.Addr(), wait, nil
		},
		Clients:             1000,
		ChildClients:        true,
		NoIdleTimeout:       true,
		ShutdownDropsUnread: true,
		Backlog: func() (int64, int64) {
			st := last.Stats()
			return st.MaxPending, st.ReadPauses
		},
		MaxPending: int64(testConfig.MaxPending),
	}
}

func TestServers(t *testing.T) {
	for _, m := range mechanisms {
		t.Run(string(m), func(t *testing.T) {
			if err := m.Available(); err != nil {
				t.Skip(err) // TestKqueueUnsupportedOffBSD covers the error
			}
			echotest.Run(t, target(m))
		})
	}
}

func TestKqueueUnsupportedOffBSD(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("kqueue exists here")
	}
	testenv.CheckFDs(t)
	s, err := eventloop.Listen(eventloop.Kqueue, "127.0.0.1:0", nil)
	assert.Nil(t, s)
	require.ErrorIs(t, err, errors.ErrUnsupported)
	assert.EqualError(t, err, "eventloop: kqueue is not supported on linux: unsupported operation")
}

func TestListenBadInput(t *testing.T) {
	testenv.CheckFDs(t)
	_, err := eventloop.Listen("kpoll", "127.0.0.1:0", nil)
	assert.EqualError(t, err, `eventloop: unknown mechanism "kpoll" (want select, poll, epoll or kqueue)`)
	_, err = eventloop.Listen(eventloop.Poll, "127.0.0.1:99999", nil)
	assert.ErrorContains(t, err, `listen "127.0.0.1:99999"`)
	_, err = eventloop.Listen(eventloop.Poll, "no port", nil)
	assert.ErrorContains(t, err, `listen "no port"`)

	// A port in use: bind fails, and names the address.
	s, err := eventloop.Listen(eventloop.Poll, "127.0.0.1:0", nil)
	require.NoError(t, err)
	defer s.Close()
	_, err = eventloop.Listen(eventloop.Poll, s.Addr().String(), nil)
	assert.ErrorIs(t, err, unix.EADDRINUSE)
	assert.ErrorContains(t, err, s.Addr().String())
}

func TestServeTwice(t *testing.T) {
	s := serveTest(t, eventloop.Poll)
	c, err := net.Dial("tcp", s.Addr().String())
	require.NoError(t, err)
	defer c.Close()
	echo(t, c, "the first Serve runs\n")
	assert.ErrorContains(t, s.Serve(context.Background()), "Serve called twice")
}

// The select loop refuses a client whose descriptor is at or above
// FD_SETSIZE, and keeps serving the others.
func TestSelectRefusesLargeDescriptors(t *testing.T) {
	echotest.RaiseFDLimit(t, 2*unix.FD_SETSIZE)
	testenv.CheckFDs(t)
	s := serveTest(t, eventloop.Select)

	c, err := net.Dial("tcp", s.Addr().String())
	require.NoError(t, err)
	defer c.Close()
	echo(t, c, "below the limit\n")

	// Fill every free descriptor below FD_SETSIZE, so the next accept
	// returns one above it.
	fillers := fillDescriptorsBelow(t, unix.FD_SETSIZE)
	big, err := net.Dial("tcp", s.Addr().String())
	require.NoError(t, err)
	_, err = io.ReadAll(big) // the server closes it at once
	if err != nil {
		assert.ErrorIs(t, err, unix.ECONNRESET)
	}
	big.Close()
	require.Eventually(t, func() bool { return s.Stats().Refused == 1 }, 10*time.Second, time.Millisecond)
	for _, fd := range fillers {
		unix.Close(fd)
	}

	echo(t, c, "still serving\n")
}

// Listen refuses select when its own descriptors would not fit.
func TestSelectListenRefusesLargeDescriptors(t *testing.T) {
	echotest.RaiseFDLimit(t, 2*unix.FD_SETSIZE)
	testenv.CheckFDs(t)
	fillers := fillDescriptorsBelow(t, unix.FD_SETSIZE)
	defer func() {
		for _, fd := range fillers {
			unix.Close(fd)
		}
	}()
	_, err := eventloop.Listen(eventloop.Select, "127.0.0.1:0", nil)
	require.ErrorIs(t, err, eventloop.ErrDescriptorTooLarge)
	assert.ErrorContains(t, err, "select server on 127.0.0.1:0: descriptor ")

	s, err := eventloop.Listen(eventloop.Poll, "127.0.0.1:0", nil)
	require.NoError(t, err, "poll has no such limit")
	require.NoError(t, s.Close())
}

// fillDescriptorsBelow opens /dev/null until no descriptor below limit is
// free and returns them.
func fillDescriptorsBelow(t *testing.T, limit int) []int {
	f, err := os.Open(os.DevNull)
	require.NoError(t, err)
	defer f.Close()
	var fds []int
	for {
		fd, err := unix.FcntlInt(f.Fd(), unix.F_DUPFD_CLOEXEC, 0)
		require.NoError(t, err)
		if fd >= limit {
			unix.Close(fd)
			return fds
		}
		fds = append(fds, fd)
	}
}

// The refusal names the problem; a descriptor is made large with dup.
func TestSelectLargeDescriptorError(t *testing.T) {
	echotest.RaiseFDLimit(t, 2*unix.FD_SETSIZE)
	f, err := os.Open(os.DevNull)
	require.NoError(t, err)
	defer f.Close()
	fd, err := unix.FcntlInt(f.Fd(), unix.F_DUPFD_CLOEXEC, unix.FD_SETSIZE)
	require.NoError(t, err)
	defer unix.Close(fd)
	err = eventloop.CheckSelectable(fd)
	require.ErrorIs(t, err, eventloop.ErrDescriptorTooLarge)
	assert.EqualError(t, err, fmt.Sprintf("descriptor %d: descriptor is not below FD_SETSIZE (1024); use poll or epoll", fd))
	assert.NoError(t, eventloop.CheckSelectable(int(f.Fd())))
}

func echo(t *testing.T, c net.Conn, msg string) {
	t.Helper()
	_, err := c.Write([]byte(msg))
	require.NoError(t, err)
	got := make([]byte, len(msg))
	_, err = io.ReadFull(c, got)
	require.NoError(t, err)
	assert.Equal(t, msg, string(got))
}

func TestWaker(t *testing.T) {
	testenv.CheckFDs(t)
	w, err := eventloop.NewWaker()
	require.NoError(t, err)
	readable := func() bool {
		p := []unix.PollFd{{Fd: int32(w.FD()), Events: unix.POLLIN}}
		n, err := unix.Poll(p, 0)
		require.NoError(t, err)
		return n == 1
	}
	assert.False(t, readable())
	w.Wake()
	w.Wake()
	assert.True(t, readable())
	w.Drain()
	assert.False(t, readable())
	require.NoError(t, w.Close())
	w.Wake() // after Close: nothing, and no write to a reused descriptor
	require.NoError(t, w.Close())
}

// A Conn's pending output never exceeds its cap, and a partial write keeps
// the rest in order.
func TestConnBackpressure(t *testing.T) {
	testenv.CheckFDs(t)
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	require.NoError(t, err)
	defer unix.Close(fds[1])
	require.NoError(t, unix.SetNonblock(fds[0], true))
	c := eventloop.NewConn(fds[0], "pair", 100)
	defer c.Close()

	msg := make([]byte, 250)
	for i := range msg {
		msg[i] = byte(i)
	}
	_, err = unix.Write(fds[1], msg)
	require.NoError(t, err)
	buf := make([]byte, 64)
	n, err := c.Read(buf)
	require.NoError(t, err)
	assert.Equal(t, 64, n)
	n, err = c.Read(buf)
	require.NoError(t, err)
	assert.Equal(t, 36, n, "the cap leaves room for 36 more")
	assert.False(t, c.WantRead())
	assert.True(t, c.WantWrite())
	n, err = c.Read(buf)
	require.NoError(t, err)
	assert.Zero(t, n, "at the cap, Read reads nothing")

	sent, err := c.Flush()
	require.NoError(t, err)
	assert.Equal(t, 100, sent)
	assert.True(t, c.WantRead())
	got := make([]byte, 100)
	_, err = unix.Read(fds[1], got)
	require.NoError(t, err)
	assert.Equal(t, msg[:100], got)

	require.NoError(t, unix.Shutdown(fds[1], unix.SHUT_WR))
	for c.WantRead() {
		_, err := c.Read(buf)
		require.NoError(t, err)
		_, err = c.Flush()
		require.NoError(t, err)
	}
	assert.True(t, c.Done(), "EOF read and everything written")
}
