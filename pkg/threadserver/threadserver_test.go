package threadserver

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/sockbook/sockbook/internal/echotest"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func target(max int) echotest.Target {
	return echotest.Target{
		Start: func(ctx context.Context, idle time.Duration) (net.Addr, func() error, error) {
			return echotest.Serve(ctx, "tcp4", "127.0.0.1:0", &Server{MaxClients: max, IdleTimeout: idle})
		},
	}
}

func TestUnbounded(t *testing.T) { echotest.Run(t, target(0)) }

// With a bound the suite still passes: clients beyond it wait their turn.
func TestBounded(t *testing.T) {
	tg := target(50)
	echotest.Run(t, tg)
}

// A client beyond the bound is connected (the kernel completed the
// handshake) but not served until a slot frees up.
func TestClientBeyondBoundWaits(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() { done <- (&Server{MaxClients: 1}).Serve(ctx, ln) }()
	defer func() {
		cancel()
		require.NoError(t, <-done)
	}()

	first, err := net.Dial("tcp4", ln.Addr().String())
	require.NoError(t, err)
	fmt.Fprintln(first, "one")
	_, err = bufio.NewReader(first).ReadString('\n')
	require.NoError(t, err, "the first client is served")

	second, err := net.Dial("tcp4", ln.Addr().String())
	require.NoError(t, err, "the kernel accepts into the backlog")
	defer second.Close()
	fmt.Fprintln(second, "two")
	second.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	_, err = bufio.NewReader(second).ReadString('\n')
	require.Error(t, err, "the second client must wait while the first holds the only slot")

	first.Close()
	second.SetReadDeadline(time.Now().Add(10 * time.Second))
	line, err := bufio.NewReader(second).ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, "two\n", line)
}
