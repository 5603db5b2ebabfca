package selectors_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"testing"
	"time"

	"github.com/sockbook/sockbook/internal/echotest"
	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/pkg/eventloop"
	"github.com/sockbook/sockbook/pkg/selectors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testConfig has a small per-client cap, so the slow-reader test reaches
// it quickly and proves the server holds to it, and a short drain, so a
// client that never reads holds up shutdown only briefly.
var testConfig = eventloop.Config{MaxPending: 16 << 10, DrainTimeout: 250 * time.Millisecond}

// server is what EchoServer and TLSEchoServer have in common.
type server interface {
	Addr() net.Addr
	Serve(context.Context) error
	Stats() eventloop.Stats
}

// serve serves s until ctx ends; wait returns Serve's result.
func serve(ctx context.Context, s server) (wait func() error) {
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	return func() error { return <-done }
}

// serveTest serves s until t ends, then requires Serve's nil.
func serveTest(t testing.TB, s server) {
	ctx, cancel := context.WithCancel(context.Background())
	wait := serve(ctx, s)
	t.Cleanup(func() {
		cancel()
		assert.NoError(t, wait(), "Serve's result")
	})
}

// target describes the servers newServer makes to the echo suite. Like
// the eventloop servers they keep counters of their backlogs, have no
// idle timeout and on shutdown echo only what they already read.
func target(newServer func() (server, error), capacity int64) echotest.Target {
	var last server
	return echotest.Target{
		Start: func(ctx context.Context, _ time.Duration) (net.Addr, func() error, error) {
			s, err := newServer()
			if err != nil {
				return nil, nil, err
			}
			last = s
			return s.Addr(), serve(ctx, s), nil
		},
		Clients:             1000,
		NoIdleTimeout:       true,
		ShutdownDropsUnread: true,
		Backlog: func() (int64, int64) {
			st := last.Stats()
			return st.MaxPending, st.ReadPauses
		},
		MaxPending: capacity,
	}
}

// The suites skip "default": it is one of the others (TestDefaultSelector).
// A thousand plain clients run in a child process, so that select's
// descriptors stay below FD_SETSIZE.
func TestEchoServer(t *testing.T) {
	forEachBackend(t, func(t *testing.T, newSel func() (selectors.Selector, error)) {
		if t.Name() == "TestEchoServer/default" {
			t.Skip("the same as epoll or kqueue")
		}
		tg := target(func() (server, error) {
			sel, err := newSel()
			if err != nil {
				return nil, err
			}
			return selectors.NewEchoServer("127.0.0.1:0", sel, &testConfig)
		}, int64(testConfig.MaxPending))
		tg.ChildClients = true
		echotest.Run(t, tg)
	})
}

// testTLS returns a server config with a fresh certificate for 127.0.0.1
// and a client config that trusts it.
func testTLS(t testing.TB) (server, client *tls.Config) {
	cert, err := selectors.SelfSigned("127.0.0.1", "localhost")
	require.NoError(t, err)
	pool := x509.NewCertPool()
	pool.AddCert(cert.Leaf)
	return &tls.Config{Certificates: []tls.Certificate{cert}}, &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}
}

func tlsDialer(cfg *tls.Config) func(ctx context.Context, addr net.Addr) (net.Conn, error) {
	return func(ctx context.Context, addr net.Addr) (net.Conn, error) {
		d := tls.Dialer{Config: cfg}
		return d.DialContext(ctx, addr.Network(), addr.String())
	}
}

// The TLS suite runs on the default Selector. Its thousand TLS clients
// run in this process, too many descriptors for select, and the echo
// suite already covers each backend; TestTLSEchoServerPlainClient runs
// over poll.
func TestTLSEchoServer(t *testing.T) {
	srvCfg, cliCfg := testTLS(t)
	// MaxPending bounds each ciphertext buffer; it must hold a whole TLS
	// record, and the default does.
	cfg := &eventloop.Config{DrainTimeout: testConfig.DrainTimeout}
	tg := target(func() (server, error) {
		return selectors.NewTLSEchoServer("127.0.0.1:0", srvCfg, nil, cfg)
	}, eventloop.DefaultMaxPending)
	tg.Dial = tlsDialer(cliCfg)
	echotest.Run(t, tg)
}

// ServeTLS has a goroutine per client, bounded by its copy buffer, and
// closes every connection the moment its context ends.
func TestServeTLS(t *testing.T) {
	srvCfg, cliCfg := testTLS(t)
	echotest.Run(t, echotest.Target{
		Start: func(ctx context.Context, _ time.Duration) (net.Addr, func() error, error) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				return nil, nil, err
			}
			done := make(chan error, 1)
			go func() { done <- selectors.ServeTLS(ctx, ln, srvCfg, nil) }()
			return ln.Addr(), func() error { return <-done }, nil
		},
		Dial:                tlsDialer(cliCfg),
		Clients:             1000,
		NoIdleTimeout:       true,
		ShutdownDropsUnread: true,
	})
}

func TestTLSEchoServerBadInput(t *testing.T) {
	testenv.CheckFDs(t)
	_, err := selectors.NewTLSEchoServer("127.0.0.1:0", &tls.Config{}, nil, nil)
	assert.EqualError(t, err, "tls echo server on 127.0.0.1:0: the TLS config has no certificate")
	_, err = selectors.NewEchoServer("127.0.0.1:http-alt-nope", nil, nil)
	assert.ErrorContains(t, err, `listen "127.0.0.1:http-alt-nope"`)
}

// A server that is never served releases everything on Close.
func TestCloseUnserved(t *testing.T) {
	testenv.CheckFDs(t)
	srvCfg, _ := testTLS(t)
	e, err := selectors.NewEchoServer("127.0.0.1:0", nil, nil)
	require.NoError(t, err)
	require.NoError(t, e.Close())
	s, err := selectors.NewTLSEchoServer("127.0.0.1:0", srvCfg, nil, nil)
	require.NoError(t, err)
	require.NoError(t, s.Close())
}

// A client that speaks plain text to the TLS server fails its own
// handshake and nothing else. The server runs on poll here.
func TestTLSEchoServerPlainClient(t *testing.T) {
	testenv.CheckFDs(t)
	srvCfg, cliCfg := testTLS(t)
	sel, err := selectors.NewPollSelector()
	require.NoError(t, err)
	s, err := selectors.NewTLSEchoServer("127.0.0.1:0", srvCfg, sel, nil)
	require.NoError(t, err)
	serveTest(t, s)

	plain, err := net.Dial("tcp", s.Addr().String())
	require.NoError(t, err)
	defer plain.Close()
	_, err = plain.Write([]byte("GET / HTTP/1.0\r\n\r\n"))
	require.NoError(t, err)
	_, _ = io.ReadAll(plain) // an alert, then EOF

	c, err := tls.Dial("tcp", s.Addr().String(), cliCfg)
	require.NoError(t, err)
	defer c.Close()
	_, err = c.Write([]byte("Hello TLS\n"))
	require.NoError(t, err)
	got := make([]byte, 10)
	_, err = io.ReadFull(c, got)
	require.NoError(t, err)
	assert.Equal(t, "Hello TLS\n", string(got))
}
