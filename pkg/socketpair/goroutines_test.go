package socketpair_test

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/pkg/socketpair"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunGoroutines(t *testing.T) {
	for _, tc := range conversations {
		t.Run(tc.c.String(), func(t *testing.T) {
			testenv.CheckFDs(t)
			var out bytes.Buffer
			require.NoError(t, tc.c.RunGoroutines(context.Background(), &out))
			assert.Equal(t, tc.want, out.String())
		})
	}
}

func TestRunGoroutinesCancelled(t *testing.T) {
	testenv.CheckFDs(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := socketpair.PingPong(5).RunGoroutines(ctx, io.Discard)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestRunGoroutinesRejectsBadInput(t *testing.T) {
	assert.ErrorContains(t, socketpair.PingPong(-1).RunGoroutines(context.Background(), io.Discard), "rounds -1")
}

func TestPair(t *testing.T) {
	testenv.CheckFDs(t)
	a, b, err := socketpair.Pair()
	require.NoError(t, err)
	defer a.Close()
	defer b.Close()
	_, err = a.Write([]byte("ping"))
	require.NoError(t, err)
	buf := make([]byte, 4)
	_, err = io.ReadFull(b, buf)
	require.NoError(t, err)
	assert.Equal(t, "ping", string(buf))
	require.NoError(t, b.Close())
	_, err = a.Read(buf)
	assert.ErrorIs(t, err, io.EOF, "closing one end is end of file at the other")
}

// The cost of 1000 ping-pong rounds, between goroutines and between
// processes (which adds starting and reaping the child).
func BenchmarkPingPong1000(b *testing.B) {
	b.Run("goroutines", func(b *testing.B) {
		for b.Loop() {
			if err := socketpair.PingPong(1000).RunGoroutines(context.Background(), io.Discard); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("processes", func(b *testing.B) {
		for b.Loop() {
			if err := socketpair.PingPong(1000).RunProcesses(context.Background(), io.Discard); err != nil {
				b.Fatal(err)
			}
		}
	})
}
