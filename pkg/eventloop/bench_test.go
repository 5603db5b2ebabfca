package eventloop_test

import (
	"net"
	"testing"

	"github.com/sockbook/sockbook/internal/echotest"
	"github.com/sockbook/sockbook/pkg/eventloop"
)

// BenchmarkEcho measures echo round trips of a small message on one
// connection, mechanism by mechanism, so that one run compares them:
//
//	go test -run '^$' -bench Echo ./pkg/eventloop/
func BenchmarkEcho(b *testing.B) {
	for _, m := range mechanisms {
		b.Run(string(m), func(b *testing.B) {
			if err := m.Available(); err != nil {
				b.Skip(err)
			}
			c, err := net.Dial("tcp", echotest.ServeTest(b, &eventloop.Server{Mechanism: m}))
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			echotest.RoundTrips(b, c)
		})
	}
}
