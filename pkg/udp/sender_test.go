package udp_test

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/sockbook/sockbook/internal/syncbuf"
	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/pkg/udp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// receive reads n datagrams from pc, failing the test after 10 s.
func receive(t *testing.T, pc net.PacketConn, n int) []string {
	t.Helper()
	require.NoError(t, pc.SetReadDeadline(time.Now().Add(10*time.Second)))
	buf := make([]byte, udp.BufferSize)
	var got []string
	for range n {
		m, _, err := pc.ReadFrom(buf)
		require.NoError(t, err, "after %d datagrams", len(got))
		got = append(got, string(buf[:m]))
	}
	return got
}

func TestSenderSendsCountDatagrams(t *testing.T) {
	testenv.CheckFDs(t)
	listener := listenLoopback(t)
	pc := listenLoopback(t)

	var logs syncbuf.Buffer
	s := udp.Sender{
		To:       listener.LocalAddr(),
		Payload:  func(seq int) []byte { return []byte{'#', byte('0' + seq)} },
		Interval: time.Millisecond,
		Count:    3,
		Logger:   slog.New(slog.NewTextHandler(&logs, nil)),
	}
	require.NoError(t, s.Run(context.Background(), pc))
	assert.Equal(t, []string{"#1", "#2", "#3"}, receive(t, listener, 3))
	assert.Contains(t, logs.String(), "seq=3")
	assert.NotContains(t, logs.String(), "seq=4")
}

func TestSenderRunsUntilCancelled(t *testing.T) {
	testenv.CheckFDs(t)
	listener := listenLoopback(t)
	pc := listenLoopback(t)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := udp.Sender{To: listener.LocalAddr(), Payload: udp.Message([]byte("Hello\n")), Interval: 5 * time.Millisecond}
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, pc) }()

	assert.Equal(t, []string{"Hello\n", "Hello\n", "Hello\n"}, receive(t, listener, 3))
	cancel()
	select {
	case err := <-done:
		assert.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return within 10 s of cancel")
	}
}

func TestSenderRejectsBadConfiguration(t *testing.T) {
	pc := listenLoopback(t)
	to := pc.LocalAddr()
	msg := udp.Message([]byte("x"))
	for _, tc := range []struct {
		s    udp.Sender
		want string
	}{
		{udp.Sender{Payload: msg, Interval: time.Second}, "Sender.To"},
		{udp.Sender{To: to, Interval: time.Second}, "Sender.Payload"},
		{udp.Sender{To: to, Payload: msg}, "Sender.Interval 0s"},
		{udp.Sender{To: to, Payload: msg, Interval: -time.Second}, "Sender.Interval -1s"},
		{udp.Sender{To: to, Payload: msg, Interval: time.Second, Count: -2}, "Sender.Count -2"},
	} {
		err := tc.s.Run(context.Background(), pc)
		require.Error(t, err, tc.want)
		assert.Contains(t, err.Error(), tc.want)
	}
	s := udp.Sender{To: to, Payload: msg, Interval: time.Second}
	assert.ErrorContains(t, s.Run(context.Background(), nil), "nil PacketConn")
}

func TestSenderReportsSendErrors(t *testing.T) {
	pc := listenLoopback(t)
	require.NoError(t, pc.Close())
	s := udp.Sender{To: pc.LocalAddr(), Payload: udp.Message([]byte("x")), Interval: time.Second}
	err := s.Run(context.Background(), pc)
	assert.ErrorIs(t, err, net.ErrClosed)
	assert.ErrorContains(t, err, "datagram 1 to "+pc.LocalAddr().String())
}

func TestMessageCopiesItsInput(t *testing.T) {
	b := []byte("Hello")
	p := udp.Message(b)
	b[0] = 'J'
	assert.Equal(t, "Hello", string(p(1)))
}

func TestTimestamp(t *testing.T) {
	for _, tc := range []struct {
		t    time.Time
		want string
	}{
		{time.Unix(1431473025, 720_000_000), "1431473025.72\n"},
		{time.Unix(1431473025, 9_999_999), "1431473025.00\n"},
		{time.Unix(0, 0), "0.00\n"},
	} {
		assert.Equal(t, tc.want, string(udp.Timestamp(func() time.Time { return tc.t })(1)))
	}
	// The default clock is the real one.
	var sec, centi int
	_, err := fmt.Sscanf(string(udp.Timestamp(nil)(1)), "%d.%d\n", &sec, &centi)
	require.NoError(t, err)
	assert.InDelta(t, time.Now().Unix(), sec, 60)
}
