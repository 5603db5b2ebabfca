package socketserver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/sockbook/sockbook/internal/echotest"
	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/pkg/echo"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func exchange(addr string, msg []byte) ([]byte, error) {
	c, err := net.Dial("tcp4", addr)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(20 * time.Second))
	return echo.Exchange(c, msg)
}

// The echo service run by Server passes the suite every stream echo
// server in sockbook must pass.
func TestServerWithEchoHandler(t *testing.T) {
	echotest.Run(t, echotest.Target{
		Start: func(ctx context.Context, idle time.Duration) (net.Addr, func() error, error) {
			return echotest.Serve(ctx, "tcp4", "127.0.0.1:0", &Server{Handler: &echo.Handler{IdleTimeout: idle}})
		},
	})
}

func TestMaxConnsBoundsConcurrency(t *testing.T) {
	var active, peak atomic.Int32
	h := &echo.Handler{}
	srv := &Server{MaxConns: 3, Handler: HandlerFunc(func(ctx context.Context, conn net.Conn) {
		n := active.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond) // hold the slot so others must queue
		h.ServeConn(ctx, conn)
		active.Add(-1)
	})}
	addr := echotest.ServeTest(t, srv)

	var wg sync.WaitGroup
	for i := range 12 {
		wg.Go(func() {
			msg := bytes.Repeat([]byte{byte(i)}, 64<<10)
			got, err := exchange(addr, msg)
			assert.NoError(t, err)
			assert.True(t, bytes.Equal(msg, got), "client %d", i)
		})
	}
	wg.Wait()
	assert.LessOrEqual(t, peak.Load(), int32(3), "more handlers ran at once than MaxConns")
	assert.Equal(t, int32(3), peak.Load(), "12 clients should have filled all 3 slots")
}

func TestHandlerPanicDoesNotStopServer(t *testing.T) {
	h := &echo.Handler{}
	addr := echotest.ServeTest(t, &Server{Handler: HandlerFunc(func(ctx context.Context, conn net.Conn) {
		buf := make([]byte, 5)
		if n, _ := conn.Read(buf); string(buf[:n]) == "panic" {
			panic("handler bug")
		}
		conn.Write(buf)
		h.ServeConn(ctx, conn)
	})})
	_, err := exchange(addr, []byte("panic"))
	require.NoError(t, err, "the panicking connection is closed, not the server")
	got, err := exchange(addr, []byte("hello, still there?"))
	require.NoError(t, err)
	assert.Equal(t, "hello, still there?", string(got))
}

func TestNilHandler(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	err = (&Server{}).Serve(context.Background(), ln)
	require.ErrorContains(t, err, "Handler is nil")
	_, err = ln.Accept()
	require.Error(t, err, "Serve closes the listener it was given")
}

// flakyListener fails its first accepts with errs, then behaves like ln.
type flakyListener struct {
	net.Listener
	mu   sync.Mutex
	errs []error
}

func (l *flakyListener) Accept() (net.Conn, error) {
	l.mu.Lock()
	if len(l.errs) > 0 {
		err := l.errs[0]
		l.errs = l.errs[1:]
		l.mu.Unlock()
		return nil, err
	}
	l.mu.Unlock()
	return l.Listener.Accept()
}

type tempErr struct{ error }

func (tempErr) Temporary() bool { return true }
func (tempErr) Timeout() bool   { return false }

func TestTemporaryAcceptErrorsAreRetried(t *testing.T) {
	testenv.CheckFDs(t)
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	emfile := &net.OpError{Op: "accept", Net: "tcp", Err: tempErr{syscall.EMFILE}}
	fl := &flakyListener{Listener: ln, errs: []error{emfile, emfile, emfile}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- (&Server{Handler: &echo.Handler{}}).Serve(ctx, fl) }()

	got, err := exchange(ln.Addr().String(), []byte("after EMFILE"))
	require.NoError(t, err)
	assert.Equal(t, "after EMFILE", string(got))
	cancel()
	require.NoError(t, <-done)
}

func TestPermanentAcceptErrorIsReturned(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	boom := errors.New("listener broke")
	fl := &flakyListener{Listener: ln, errs: []error{boom}}
	err = (&Server{Handler: &echo.Handler{}}).Serve(context.Background(), fl)
	require.ErrorIs(t, err, boom)
	assert.Contains(t, err.Error(), ln.Addr().String())
}

func servePackets(t *testing.T, srv *PacketServer, pc net.PacketConn) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, pc) }()
	t.Cleanup(func() {
		cancel()
		assert.NoError(t, <-done)
	})
}

var echoPackets = PacketHandlerFunc(func(ctx context.Context, pc net.PacketConn, data []byte, from net.Addr) {
	pc.WriteTo(data, from)
})

func TestPacketServerEchoesLargeDatagramsAndManyClients(t *testing.T) {
	testenv.CheckFDs(t)
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	require.NoError(t, err)
	servePackets(t, &PacketServer{Handler: echoPackets}, pc)

	var wg sync.WaitGroup
	for i := range 200 {
		wg.Go(func() {
			size := 100
			if i == 0 {
				size = 60 << 10 // near the largest datagram: nothing may be truncated
			}
			msg := bytes.Repeat([]byte(fmt.Sprintf("%03d", i)), size/3)
			c, err := net.Dial("udp4", pc.LocalAddr().String())
			if !assert.NoError(t, err) {
				return
			}
			defer c.Close()
			buf := make([]byte, MaxDatagram)
			// UDP may drop under load: resend a few times, as a real client would.
			for range 5 {
				c.Write(msg)
				c.SetReadDeadline(time.Now().Add(time.Second))
				n, err := c.Read(buf)
				if err == nil {
					assert.Equal(t, msg, buf[:n], "client %d", i)
					return
				}
			}
			t.Errorf("client %d: no echo after 5 tries", i)
		})
	}
	wg.Wait()
}

// refusingConn reports ECONNREFUSED once, as Linux does on a read after a
// reply to a vanished client bounced with ICMP port unreachable.
type refusingConn struct {
	net.PacketConn
	once sync.Once
}

func (c *refusingConn) ReadFrom(b []byte) (int, net.Addr, error) {
	var err error
	c.once.Do(func() { err = &net.OpError{Op: "read", Net: "udp", Err: syscall.ECONNREFUSED} })
	if err != nil {
		return 0, nil, err
	}
	return c.PacketConn.ReadFrom(b)
}

func TestPacketServerSurvivesRefusedReplies(t *testing.T) {
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	require.NoError(t, err)
	servePackets(t, &PacketServer{Handler: echoPackets}, &refusingConn{PacketConn: pc})

	c, err := net.Dial("udp4", pc.LocalAddr().String())
	require.NoError(t, err)
	defer c.Close()
	_, err = c.Write([]byte("still serving"))
	require.NoError(t, err)
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 64)
	n, err := c.Read(buf)
	require.NoError(t, err)
	assert.Equal(t, "still serving", string(buf[:n]))
}

func TestPacketHandlerPanicDoesNotStopServer(t *testing.T) {
	pc, err := net.ListenPacket("udp4", "127.0.0.1:0")
	require.NoError(t, err)
	servePackets(t, &PacketServer{Handler: PacketHandlerFunc(func(ctx context.Context, pc net.PacketConn, data []byte, from net.Addr) {
		if string(data) == "panic" {
			panic("handler bug")
		}
		pc.WriteTo(data, from)
	})}, pc)

	c, err := net.Dial("udp4", pc.LocalAddr().String())
	require.NoError(t, err)
	defer c.Close()
	c.Write([]byte("panic"))
	c.Write([]byte("next"))
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 64)
	n, err := c.Read(buf)
	require.NoError(t, err)
	assert.Equal(t, "next", string(buf[:n]))
}
