package main

import (
	"context"
	"fmt"
	"io"
	"net"

	"github.com/sockbook/sockbook/pkg/socketserver"
)

func socketserverCommands() []command {
	return []command{
		{"socketserver-tcp", "socketserver-style TCP server: one read, print the client, send it back", runSocketserverTCP},
		{"socketserver-udp", "socketserver-style UDP server: echo each datagram, print the client", runSocketserverUDP},
	}
}

func runSocketserverTCP(ctx context.Context, args []string, out io.Writer) error {
	addr, err := parseListen("socketserver-tcp", "", args, nil)
	if err != nil {
		return err
	}
	ln, err := listen(ctx, "tcp", addr)
	// Like the cheat sheet's handle(): one recv of up to 1024 bytes, then
	// the client's address, then sendall.
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

func runSocketserverUDP(ctx context.Context, args []string, out io.Writer) error {
	addr, err := parseListen("socketserver-udp", "", args, nil)
	if err != nil {
		return err
	}
	var lc net.ListenConfig
	pc, err := lc.ListenPacket(ctx, "udp", addr)
	if err != nil {
		return err
	}
	announce(out, pc.LocalAddr())
	srv := &socketserver.PacketServer{Logger: newLogger(out), Handler: socketserver.PacketHandlerFunc(
		func(ctx context.Context, pc net.PacketConn, data []byte, from net.Addr) {
			pc.WriteTo(data, from)
			fmt.Fprintln(out, from)
		})}
	return srv.Serve(ctx, pc)
}
