package main

import (
	"context"
	"io"

	"github.com/sockbook/sockbook/pkg/threadserver"
)

func threadServerCommands() []command {
	return []command{
		{"thread-server", "echo server with a goroutine per client (Go's thread per client)", runThreadServer},
	}
}

func runThreadServer(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlags("thread-server", "[-addr host:port] [-max n] [-idle duration]")
	addr := fs.String("addr", "localhost:5566", "address to listen on")
	maxClients := fs.Int("max", 0, "serve at most this many clients at once (0: no bound)")
	idle := fs.Duration("idle", 0, "close clients silent for this long (0: never)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ln, err := listen(ctx, "tcp", *addr)
	return serve(ctx, out, ln, err, &threadserver.Server{MaxClients: *maxClients, IdleTimeout: *idle, Logger: newLogger(out)})
}
