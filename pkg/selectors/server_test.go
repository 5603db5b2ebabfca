package selectors_test

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"testing"
	"time"

	"github.com/sockbook/sockbook/internal/echotest"
	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/pkg/eventloop"
	"github.com/sockbook/sockbook/pkg/selectors"
	"github.com/sockbook/sockbook/pkg/tlsecho"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The test servers have a small per-client cap, so the slow-reader test
// reaches it quickly and proves the server holds to it, and a short
// drain, so a client that never reads holds up shutdown only briefly.
const (
	testMaxPending = 16 << 10
	testDrain      = 250 * time.Millisecond
)

// The suites skip "default": it is one of the others (TestDefaultSelector).
// A thousand plain clients run in a child process, so that select's
// descriptors stay below FD_SETSIZE.
func TestEchoServer(t *testing.T) {
	forEachBackend(t, func(t *testing.T, newSel func() (selectors.Selector, error)) {
		if t.Name() == "TestEchoServer/default" {
			t.Skip("the same as epoll or kqueue")
		}
		echotest.Run(t, echotest.LoopTarget(func() echotest.LoopServer {
			return &selectors.EchoServer{NewSelector: newSel, MaxPending: testMaxPending, DrainTimeout: testDrain}
		}, testMaxPending))
	})
}

// testTLS returns a server config with a fresh certificate for 127.0.0.1
// and a client config that trusts it.
func testTLS(t testing.TB) (server, client *tls.Config) {
	cert, err := tlsecho.NewSelfSigned(tlsecho.ECDSAP256, "127.0.0.1", "localhost")
	require.NoError(t, err)
	pool, err := tlsecho.CertPool(cert)
	require.NoError(t, err)
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
// over poll. MaxPending bounds each ciphertext buffer; it must hold a
// whole TLS record, and the default does.
func TestTLSEchoServer(t *testing.T) {
	srvCfg, cliCfg := testTLS(t)
	tg := echotest.LoopTarget(func() echotest.LoopServer {
		return &selectors.TLSEchoServer{TLS: srvCfg, DrainTimeout: testDrain}
	}, eventloop.DefaultMaxPending)
	tg.Dial, tg.ChildClients = tlsDialer(cliCfg), false
	echotest.Run(t, tg)
}

func TestServeBadInput(t *testing.T) {
	testenv.CheckFDs(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	err = (&selectors.TLSEchoServer{TLS: &tls.Config{}}).Serve(context.Background(), ln)
	assert.EqualError(t, err, "serve tcp "+ln.Addr().String()+": selectors: TLSEchoServer.TLS has no certificate")
	assert.ErrorIs(t, ln.Close(), net.ErrClosed, "Serve closes its listener")

	ln, err = net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	err = (&selectors.EchoServer{NewSelector: selectors.NewKqueueSelector}).Serve(context.Background(), ln)
	if err != nil {
		assert.ErrorContains(t, err, "selectors: poller: kqueue is not supported")
	}
	assert.ErrorIs(t, ln.Close(), net.ErrClosed, "Serve closes its listener")
}

// A client that speaks plain text to the TLS server fails its own
// handshake and nothing else. The server runs on poll here.
func TestTLSEchoServerPlainClient(t *testing.T) {
	testenv.CheckFDs(t)
	srvCfg, cliCfg := testTLS(t)
	addr := echotest.ServeTest(t, &selectors.TLSEchoServer{TLS: srvCfg, NewSelector: selectors.NewPollSelector})

	plain, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer plain.Close()
	_, err = plain.Write([]byte("GET / HTTP/1.0\r\n\r\n"))
	require.NoError(t, err)
	_, _ = io.ReadAll(plain) // an alert, then EOF

	c, err := tls.Dial("tcp", addr, cliCfg)
	require.NoError(t, err)
	defer c.Close()
	_, err = c.Write([]byte("Hello TLS\n"))
	require.NoError(t, err)
	got := make([]byte, 10)
	_, err = io.ReadFull(c, got)
	require.NoError(t, err)
	assert.Equal(t, "Hello TLS\n", string(got))
}
