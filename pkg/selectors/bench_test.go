package selectors_test

import (
	"crypto/tls"
	"io"
	"net"
	"testing"

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
			c, err := net.Dial("tcp", serveTest(b, &selectors.EchoServer{NewSelector: be.new}))
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			roundTrips(b, c)
		})
	}
	srvCfg, cliCfg := testTLS(b)
	b.Run("nonblocking-tls", func(b *testing.B) {
		c, err := tls.Dial("tcp", serveTest(b, &selectors.TLSEchoServer{TLS: srvCfg}), cliCfg)
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		roundTrips(b, c)
	})
	b.Run("tlsecho.Server", func(b *testing.B) {
		c, err := tls.Dial("tcp", serveTest(b, &tlsecho.Server{TLS: srvCfg}), cliCfg)
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		roundTrips(b, c)
	})
}

func roundTrips(b *testing.B, c net.Conn) {
	msg := []byte("Hello Python Socket Programming\n")
	got := make([]byte, len(msg))
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		if _, err := c.Write(msg); err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(c, got); err != nil {
			b.Fatal(err)
		}
	}
}
