//go:build !solution

// Package udpecho is a UDP echo server.
package udpecho

import (
	"context"
	"net"
)

// Serve echoes every datagram that arrives on pc back to its sender until ctx
// ends.
func Serve(ctx context.Context, pc net.PacketConn) error {
	for {
		buf := make([]byte, 1024)
		n, addr, err := pc.ReadFrom(buf)
		if err != nil {
			return err
		}
		pc.WriteTo(buf[:n], addr)
	}
}
