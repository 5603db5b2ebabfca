package main

import (
	"context"
	"io"
	"net/netip"
	"time"

	"github.com/sockbook/sockbook/pkg/tcpecho"
)

func tcpCommands() []command {
	return []command{
		{"tcp-echo", "TCP echo server over IPv4 (try: nc localhost 5566)", runTCPEcho("tcp-echo", "tcp4", "localhost:5566")},
		{"tcp-echo-ipv6", "TCP echo server over IPv6 (try: nc -6 ::1 5566)", runTCPEcho("tcp-echo-ipv6", "tcp6", "[::1]:5566")},
		{"dual-stack", "one IPv6 socket serving IPv4 and IPv6 clients, printing each peer", runDualStack},
	}
}

func runTCPEcho(slug, network, defaultAddr string) func(context.Context, []string, io.Writer) error {
	return func(ctx context.Context, args []string, out io.Writer) error {
		fs := newFlags(slug, "[-addr host:port] [-idle duration]")
		addr := fs.String("addr", defaultAddr, "address to listen on")
		idle := fs.Duration("idle", 0, "close clients silent for this long (0: never)")
		if err := fs.Parse(args); err != nil {
			return err
		}
		ln, err := tcpecho.Listen(ctx, network, *addr)
		return serve(ctx, out, ln, err, &tcpecho.Server{IdleTimeout: *idle, Logger: newLogger(out)})
	}
}

func runDualStack(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlags("dual-stack", "[-port n] [-idle duration]")
	port := fs.Int("port", 5566, "port to listen on, on every IPv4 and IPv6 address")
	idle := fs.Duration("idle", time.Duration(0), "close clients silent for this long (0: never)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ln, err := tcpecho.ListenDualStack(ctx, *port)
	return serve(ctx, out, ln, err, &tcpecho.Server{
		IdleTimeout: *idle,
		OnConnect: func(peer netip.AddrPort) {
			io.WriteString(out, tcpecho.FormatPeer(peer)+"\n")
		},
	})
}
