package sheet

import (
	"context"
	"io"
	"net"

	"github.com/sockbook/sockbook/pkg/socketserver"
)

// SocketserverTCP serves each connection with a handler in its own
// goroutine, as socketserver.TCPServer serves each with a request handler.
// Serve closes the listener when ctx ends.
//
// Calls: socketserver.HandlerFunc
// Python: socketserver.TCPServer, socketserver.BaseRequestHandler
func SocketserverTCP(ctx context.Context, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := socketserver.Server{Handler: socketserver.HandlerFunc(func(_ context.Context, c net.Conn) {
		io.Copy(c, c)
	})}
	return srv.Serve(ctx, ln)
}
