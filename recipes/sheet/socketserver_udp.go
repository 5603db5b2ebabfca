package sheet

import (
	"context"
	"net"

	"github.com/sockbook/sockbook/pkg/socketserver"
)

// SocketserverUDP runs a handler for every datagram, one at a time, as
// socketserver.UDPServer does; the handler replies on the server's socket.
//
// Calls: socketserver.PacketHandlerFunc
// Python: socketserver.UDPServer
func SocketserverUDP(ctx context.Context, addr string) error {
	pc, err := net.ListenPacket("udp", addr)
	if err != nil {
		return err
	}
	echo := func(_ context.Context, pc net.PacketConn, data []byte, from net.Addr) {
		pc.WriteTo(data, from)
	}
	srv := socketserver.PacketServer{Handler: socketserver.PacketHandlerFunc(echo)}
	return srv.Serve(ctx, pc)
}
