package main

import (
	"context"
	"io"

	"github.com/sockbook/sockbook/pkg/unixecho"
)

func unixCommands() []command {
	return []command{
		{"unix-echo", "UNIX domain socket echo server (try: nc -U ./domain.sock)", runUnixEcho},
	}
}

func runUnixEcho(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlags("unix-echo", "[-path ./domain.sock | -path @abstract-name] [-idle duration]")
	path := fs.String("path", "./domain.sock", "socket path; a leading @ names a Linux abstract socket")
	idle := fs.Duration("idle", 0, "close clients silent for this long (0: never)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ln, err := unixecho.Listen(ctx, *path)
	return serve(ctx, out, ln, err, &unixecho.Server{IdleTimeout: *idle, Logger: newLogger(out)})
}
