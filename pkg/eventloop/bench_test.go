package eventloop_test

import (
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
			echotest.RoundTrips(b, &eventloop.Server{Mechanism: m}, nil)
		})
	}
}
