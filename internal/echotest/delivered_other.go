//go:build !linux

package echotest

import (
	"crypto/tls"
	"net"
	"testing"
)

// waitDelivered skips t for a TCP connection: knowing that the peer's
// kernel has acknowledged everything written takes TCP_INFO's unacked and
// not-sent counters, whose layout here is Linux's. UNIX sockets deliver
// within write itself, so they need no wait.
func waitDelivered(t *testing.T, c net.Conn) {
	t.Helper()
	if tc, ok := c.(*tls.Conn); ok {
		c = tc.NetConn()
	}
	if _, ok := c.(*net.TCPConn); ok {
		t.Skip("needs Linux's TCP_INFO to tell when the server's host has received the data")
	}
}
