package selectors_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"sync"
	"testing"

	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/pkg/eventloop"
	"github.com/sockbook/sockbook/pkg/eventloop/echotest"
	"github.com/sockbook/sockbook/pkg/selectors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testCap = 16 << 10

// server is what EchoServer and TLSEchoServer have in common.
type server interface {
	Addr() net.Addr
	Serve(context.Context) error
	Stats() eventloop.Stats
}

// run serves s until the returned target's Stop.
func run(s server, capacity int64) *echotest.Target {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	var once sync.Once
	var serveErr error
	return &echotest.Target{
		Addr: s.Addr().String(),
		Cap:  capacity,
		Backlog: func() (int64, int64) {
			st := s.Stats()
			return st.MaxPending, st.ReadPauses
		},
		Stop: func() error {
			once.Do(func() {
				cancel()
				serveErr = <-done
			})
			return serveErr
		},
	}
}

// The suites skip "default": it is one of the others (TestDefaultSelector).
func TestEchoServer(t *testing.T) {
	forEachBackend(t, func(t *testing.T, newSel func() (selectors.Selector, error)) {
		if t.Name() == "TestEchoServer/default" {
			t.Skip("the same as epoll or kqueue")
		}
		echotest.Run(t, func(t *testing.T) *echotest.Target {
			sel, err := newSel()
			require.NoError(t, err)
			s, err := selectors.NewEchoServer("127.0.0.1:0", sel, &eventloop.Config{MaxPending: testCap})
			require.NoError(t, err)
			return run(s, testCap)
		})
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

func tlsDialer(cfg *tls.Config) func(ctx context.Context, addr string) (net.Conn, error) {
	return func(ctx context.Context, addr string) (net.Conn, error) {
		d := tls.Dialer{Config: cfg}
		return d.DialContext(ctx, "tcp", addr)
	}
}

// The TLS suite runs on the default Selector. Its thousand TLS clients
// run in this process, too many descriptors for select, and the echo
// suite already covers each backend; TestTLSEchoServerPlainClient runs
// over poll.
func TestTLSEchoServer(t *testing.T) {
	srvCfg, cliCfg := testTLS(t)
	echotest.Run(t, func(t *testing.T) *echotest.Target {
		// MaxPending bounds each ciphertext buffer; it must hold a whole
		// TLS record, and the default does.
		s, err := selectors.NewTLSEchoServer("127.0.0.1:0", srvCfg, nil, nil)
		require.NoError(t, err)
		tg := run(s, eventloop.DefaultMaxPending)
		tg.Dial = tlsDialer(cliCfg)
		return tg
	})
}

func TestServeTLS(t *testing.T) {
	srvCfg, cliCfg := testTLS(t)
	echotest.Run(t, func(t *testing.T) *echotest.Target {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- selectors.ServeTLS(ctx, ln, srvCfg, nil) }()
		var once sync.Once
		var serveErr error
		return &echotest.Target{
			Addr: ln.Addr().String(),
			Dial: tlsDialer(cliCfg),
			Stop: func() error {
				once.Do(func() {
					cancel()
					serveErr = <-done
				})
				return serveErr
			},
		}
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
	tg := run(s, eventloop.DefaultMaxPending)
	defer func() { assert.NoError(t, tg.Stop()) }()

	plain, err := net.Dial("tcp", tg.Addr)
	require.NoError(t, err)
	defer plain.Close()
	_, err = plain.Write([]byte("GET / HTTP/1.0\r\n\r\n"))
	require.NoError(t, err)
	_, _ = io.ReadAll(plain) // an alert, then EOF

	c, err := tls.Dial("tcp", tg.Addr, cliCfg)
	require.NoError(t, err)
	defer c.Close()
	_, err = c.Write([]byte("Hello TLS\n"))
	require.NoError(t, err)
	got := make([]byte, 10)
	_, err = io.ReadFull(c, got)
	require.NoError(t, err)
	assert.Equal(t, "Hello TLS\n", string(got))
}
