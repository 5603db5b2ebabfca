package selectors_test

import (
	"crypto/tls"
	"net"
	"testing"

	"github.com/sockbook/sockbook/internal/echotest"
	"github.com/sockbook/sockbook/pkg/selectors"
	"github.com/sockbook/sockbook/pkg/tlsecho"
)

// BenchmarkEcho measures echo round trips of a small message on one
// connection: the selectors echo server on each backend, and TLS driven
// by the Selector next to tlsecho.Server's goroutine per connection:
//
//	go test -run '^$' -bench Echo ./pkg/selectors/
func BenchmarkEcho(b *testing.B) {
	for _, be := range backends {
		b.Run("selectors-"+be.name, func(b *testing.B) {
			if _, err := be.new(); err != nil {
				b.Skip(err)
			}
			echotest.RoundTrips(b, &selectors.EchoServer{NewSelector: be.new}, nil)
		})
	}
	srvCfg, cliCfg := testTLS(b)
	sClient := func(addr string) (net.Conn, error) { return tls.Dial("tcp", addr, cliCfg) }
	b.Run("nonblocking-tls", func(b *testing.B) {
		echotest.RoundTrips(b, &selectors.TLSEchoServer{TLS: srvCfg}, sClient)
	})
	b.Run("tlsecho.Server", func(b *testing.B) {
		echotest.RoundTrips(b, &tlsecho.Server{TLS: srvCfg}, sClient)
	})
}
