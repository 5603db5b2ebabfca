package echotest

import (
	"context"
	"io"
	"net"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestLoopback(t *testing.T) {
	for in, want := range map[string]string{
		"0.0.0.0:5566":   "127.0.0.1:5566",
		"[::]:5566":      "[::1]:5566",
		"127.0.0.1:5566": "127.0.0.1:5566",
		"[::1]:5566":     "[::1]:5566",
	} {
		addr, err := net.ResolveTCPAddr("tcp", in)
		require.NoError(t, err)
		assert.Equal(t, want, loopback(addr).String(), in)
	}
	unix := &net.UnixAddr{Net: "unix", Name: "@echo"}
	assert.Same(t, unix, loopback(unix))
}

func TestChildClientsBadSpec(t *testing.T) {
	assert.EqualError(t, childClients("tcp 127.0.0.1:1"), "want network, address and count")
	assert.ErrorContains(t, childClients("tcp 127.0.0.1:1 many"), `parsing "many"`)
}

// clients, which both ConcurrentClients and the child process run, passes
// an echo server and fails one that hangs up without echoing.
func TestClients(t *testing.T) {
	for _, tc := range []struct {
		name   string
		handle func(net.Conn)
		ok     bool
	}{
		{"echo", func(c net.Conn) {
			io.Copy(c, c)
			c.(*net.TCPConn).CloseWrite()
		}, true},
		{"hang up", func(net.Conn) {}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			require.NoError(t, err)
			var wg sync.WaitGroup
			defer wg.Wait()
			defer ln.Close()
			wg.Go(func() {
				for {
					c, err := ln.Accept()
					if err != nil {
						return
					}
					wg.Go(func() {
						defer c.Close()
						tc.handle(c)
					})
				}
			})
			err = clients(20, func(ctx context.Context) (net.Conn, error) {
				return dialPlain(ctx, ln.Addr())
			})
			if tc.ok {
				assert.NoError(t, err)
			} else {
				assert.ErrorContains(t, err, "client 0")
			}
		})
	}
}
