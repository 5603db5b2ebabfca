package selectors_test

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"testing"

	"github.com/sockbook/sockbook/pkg/selectors"
)

// BenchmarkEcho measures echo round trips of a small message on one
// connection: the selectors echo server on each backend, and TLS driven
// by the Selector next to ServeTLS's goroutine per connection:
//
//	go test -run '^$' -bench Echo ./pkg/selectors/
func BenchmarkEcho(b *testing.B) {
	for _, be := range backends {
		b.Run("selectors-"+be.name, func(b *testing.B) {
			sel, err := be.new()
			if err != nil {
				b.Skip(err)
			}
			s, err := selectors.NewEchoServer("127.0.0.1:0", sel, nil)
			if err != nil {
				b.Fatal(err)
			}
			serveTest(b, s)
			c, err := net.Dial("tcp", s.Addr().String())
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			roundTrips(b, c)
		})
	}
	srvCfg, cliCfg := testTLS(b)
	b.Run("nonblocking-tls", func(b *testing.B) {
		s, err := selectors.NewTLSEchoServer("127.0.0.1:0", srvCfg, nil, nil)
		if err != nil {
			b.Fatal(err)
		}
		serveTest(b, s)
		c, err := tls.Dial("tcp", s.Addr().String(), cliCfg)
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		roundTrips(b, c)
	})
	b.Run("ServeTLS", func(b *testing.B) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- selectors.ServeTLS(ctx, ln, srvCfg, nil) }()
		defer func() { cancel(); <-done }()
		c, err := tls.Dial("tcp", ln.Addr().String(), cliCfg)
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
