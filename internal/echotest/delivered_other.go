//go:build !linux

package echotest

import (
	"net"
	"testing"
)

// waitAcked skips t: knowing that the peer's kernel has acknowledged
// everything written on a TCP connection takes TCP_INFO's unacked and
// not-sent counters, whose layout here is Linux's.
func waitAcked(t *testing.T, _ *net.TCPConn) {
	t.Helper()
	t.Skip("needs Linux's TCP_INFO to tell when the server's host has received the data")
}
