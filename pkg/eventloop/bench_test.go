package eventloop_test

import (
	"io"
	"net"
	"testing"

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
			c, err := net.Dial("tcp", serveTest(b, &eventloop.Server{Mechanism: m}))
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
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
		})
	}
}
