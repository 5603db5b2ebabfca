package eventloop_test

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/sockbook/sockbook/internal/echotest"
	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/pkg/eventloop"
	"github.com/sockbook/sockbook/pkg/poller"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
	"golang.org/x/sys/unix"
)

func TestMain(m *testing.M) {
	echotest.ClientMain()
	goleak.VerifyTestMain(m)
}

// testServer has a small per-client cap, so the slow-reader test reaches
// it quickly and proves the server holds to it, and a short drain, so a
// client that never reads holds up shutdown only briefly.
func testServer(m eventloop.Mechanism) *eventloop.Server {
	return &eventloop.Server{Mechanism: m, MaxPending: 16 << 10, DrainTimeout: 250 * time.Millisecond}
}

var mechanisms = []eventloop.Mechanism{eventloop.Select, eventloop.Poll, eventloop.Epoll, eventloop.Kqueue}

// target describes m's server to the echo suite.
func target(m eventloop.Mechanism) echotest.Target {
	return echotest.LoopTarget(func() echotest.LoopServer { return testServer(m) }, 16<<10)
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
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	err = (&eventloop.Server{Mechanism: eventloop.Kqueue}).Serve(context.Background(), ln)
	require.ErrorIs(t, err, errors.ErrUnsupported)
	assert.EqualError(t, err, "serve tcp "+ln.Addr().String()+": poller: kqueue is not supported on linux: unsupported operation")
	assert.ErrorIs(t, ln.Close(), net.ErrClosed, "Serve closes its listener")
}

func TestServeBadInput(t *testing.T) {
	testenv.CheckFDs(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	err = (&eventloop.Server{Mechanism: "kpoll"}).Serve(context.Background(), ln)
	assert.ErrorContains(t, err, `poller: unknown mechanism "kpoll" (want select, poll, epoll or kqueue)`)

	// A listener without a descriptor.
	err = (&eventloop.Server{}).Serve(context.Background(), fakeListener{})
	assert.ErrorContains(t, err, "eventloop: a eventloop_test.fakeListener has no descriptor to poll")
}

// fakeListener is a net.Listener with no descriptor behind it.
type fakeListener struct{}

func (fakeListener) Accept() (net.Conn, error) { return nil, net.ErrClosed }
func (fakeListener) Close() error              { return nil }
func (fakeListener) Addr() net.Addr            { return &net.TCPAddr{} }

// The select loop refuses a client whose descriptor is at or above
// FD_SETSIZE, and keeps serving the others.
func TestSelectRefusesLargeDescriptors(t *testing.T) {
	echotest.RaiseFDLimit(t, 2*unix.FD_SETSIZE)
	testenv.CheckFDs(t)
	s := testServer(eventloop.Select)
	addr := echotest.ServeTest(t, s)

	c, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer c.Close()
	echotest.RequireEcho(t, c, "below the limit\n")

	// Fill every free descriptor below FD_SETSIZE, so the next accept
	// returns one above it.
	fillers := fillDescriptorsBelow(t, unix.FD_SETSIZE)
	big, err := net.Dial("tcp", addr)
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

	echotest.RequireEcho(t, c, "still serving\n")
}

// Serve refuses select when its own descriptors would not fit.
func TestSelectServeRefusesLargeDescriptors(t *testing.T) {
	echotest.RaiseFDLimit(t, 2*unix.FD_SETSIZE)
	testenv.CheckFDs(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	fillers := fillDescriptorsBelow(t, unix.FD_SETSIZE)
	defer func() {
		for _, fd := range fillers {
			unix.Close(fd)
		}
	}()
	err = (&eventloop.Server{Mechanism: eventloop.Select}).Serve(context.Background(), ln)
	require.ErrorIs(t, err, poller.ErrDescriptorTooLarge)
	assert.ErrorContains(t, err, "poller: select add descriptor ")
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
