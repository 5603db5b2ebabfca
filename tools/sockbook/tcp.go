package main

import (
	"context"
	"flag"
	"io"
	"net/netip"
	"time"

	"github.com/sockbook/sockbook/pkg/tcpecho"
)

// tcpEchoFlags returns the flags of a TCP echo server on network, which
// listens on defaultAddr unless told otherwise.
func tcpEchoFlags(network, defaultAddr string) func(*flag.FlagSet) runFunc {
	return func(fs *flag.FlagSet) runFunc {
		addr := listenFlag(fs, defaultAddr)
		idle := fs.Duration("idle", 0, "close clients silent for this long (0: never)")
		return func(ctx context.Context, _ []string, out io.Writer) error {
			ln, err := tcpecho.Listen(ctx, network, *addr)
			return serve(ctx, out, ln, err, &tcpecho.Server{IdleTimeout: *idle, Logger: newLogger(out)})
		}
	}
}

func dualStackFlags(fs *flag.FlagSet) runFunc {
	port := fs.Int("port", 5566, "port to listen on, on every IPv4 and IPv6 address")
	idle := fs.Duration("idle", time.Duration(0), "close clients silent for this long (0: never)")
	return func(ctx context.Context, _ []string, out io.Writer) error {
		ln, err := tcpecho.ListenDualStack(ctx, *port)
		return serve(ctx, out, ln, err, &tcpecho.Server{
			IdleTimeout: *idle,
			OnConnect: func(peer netip.AddrPort) {
				io.WriteString(out, tcpecho.FormatPeer(peer)+"\n")
			},
		})
	}
}
