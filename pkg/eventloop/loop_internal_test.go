package eventloop

import (
	"context"
	"net"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sockbook/sockbook/internal/testenv"
)

// newTestLoop returns a poll loop on a new listener at addr, closed when
// the test ends.
func newTestLoop(t *testing.T, addr string) *loop {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	require.NoError(t, err)
	l, err := (&Server{Mechanism: Poll}).newLoop(context.Background(), ln)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, l.shutdown()) })
	return l
}

// dialMany opens n connections to addr; the kernel completes them before
// the server accepts, so they wait in the listener's queue.
func dialMany(t *testing.T, addr net.Addr, n int) []net.Conn {
	t.Helper()
	conns := make([]net.Conn, 0, n)
	t.Cleanup(func() {
		for _, c := range conns {
			c.Close()
		}
	})
	for range n {
		c, err := net.Dial(addr.Network(), addr.String())
		require.NoError(t, err)
		conns = append(conns, c)
	}
	return conns
}

// TestAcceptKeepsOnlyTheConn checks what an accepted client costs the
// loop's heap: its Conn and nothing else, no address buffers or strings,
// which with thousands of idle clients would be most of the memory. The
// table of clients grows by doubling, a few allocations in all.
func TestAcceptKeepsOnlyTheConn(t *testing.T) {
	testenv.CheckFDs(t)
	const n = 500
	l := newTestLoop(t, "127.0.0.1:0")
	dialMany(t, l.ln.Addr(), n)

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	l.accept()
	runtime.ReadMemStats(&after)
	require.Equal(t, n, l.open, "clients accepted")
	allocs := after.Mallocs - before.Mallocs
	t.Logf("%d allocations for %d accepts", allocs, n)
	if runtime.GOOS == "linux" {
		// Only Linux accepts into the loop's own address buffer.
		assert.LessOrEqual(t, allocs, uint64(n+20), "allocations for %d accepts", n)
	}
}

// TestAcceptedPeer checks that the address the loop decodes from accept4's
// buffer is the client's, for IPv4 and IPv6 clients.
func TestAcceptedPeer(t *testing.T) {
	for _, addr := range []string{"127.0.0.1:0", "[::1]:0"} {
		t.Run(addr, func(t *testing.T) {
			if addr[0] == '[' {
				testenv.MustHaveIPv6(t)
			}
			testenv.CheckFDs(t)
			l := newTestLoop(t, addr)
			clients := dialMany(t, l.ln.Addr(), 3)
			l.accept()
			var want, got []string
			for _, c := range clients {
				want = append(want, c.LocalAddr().String())
			}
			for _, c := range l.conns {
				if c != nil {
					got = append(got, c.Peer())
				}
			}
			assert.ElementsMatch(t, want, got)
		})
	}
}
