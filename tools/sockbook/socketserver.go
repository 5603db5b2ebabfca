package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"

	"github.com/sockbook/sockbook/pkg/socketserver"
)

func socketserverTCPFlags(fs *flag.FlagSet) runFunc {
	addr := listenFlag(fs, "localhost:5566")
	return func(ctx context.Context, _ []string, out io.Writer) error {
		ln, err := listen(ctx, "tcp", *addr)
		// Like the cheat sheet's handle(): one recv of up to 1024 bytes,
		// then the client's address, then sendall.
		srv := &socketserver.Server{Logger: newLogger(out), Handler: socketserver.HandlerFunc(func(ctx context.Context, conn net.Conn) {
			data := make([]byte, 1024)
			n, err := conn.Read(data)
			if err != nil {
				return
			}
			fmt.Fprintln(out, conn.RemoteAddr())
			conn.Write(data[:n])
		})}
		return serve(ctx, out, ln, err, srv)
	}
}

func socketserverUDPFlags(fs *flag.FlagSet) runFunc {
	addr := listenFlag(fs, "localhost:5566")
	return func(ctx context.Context, _ []string, out io.Writer) error {
		return servePacket(ctx, out, *addr, &socketserver.PacketServer{Logger: newLogger(out), Handler: socketserver.PacketHandlerFunc(
			func(ctx context.Context, pc net.PacketConn, data []byte, from net.Addr) {
				pc.WriteTo(data, from)
				fmt.Fprintln(out, from)
			})})
	}
}
