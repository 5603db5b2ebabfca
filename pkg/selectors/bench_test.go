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
			c, err := net.Dial("tcp", echotest.ServeTest(b, &selectors.EchoServer{NewSelector: be.new}))
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			echotest.RoundTrips(b, c)
		})
	}
	srvCfg, cliCfg := testTLS(b)
	b.Run("nonblocking-tls", func(b *testing.B) {
		c, err := tls.Dial("tcp", echotest.ServeTest(b, &selectors.TLSEchoServer{TLS: srvCfg}), cliCfg)
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		echotest.RoundTrips(b, c)
	})
	b.Run("tlsecho.Server", func(b *testing.B) {
		c, err := tls.Dial("tcp", echotest.ServeTest(b, &tlsecho.Server{TLS: srvCfg}), cliCfg)
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		echotest.RoundTrips(b, c)
	})
}
