package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"

	"github.com/sockbook/sockbook/pkg/socketpair"
	"github.com/sockbook/sockbook/pkg/unixecho"
)

func socketpairDuplexFlags(*flag.FlagSet) runFunc {
	return func(ctx context.Context, _ []string, out io.Writer) error {
		return runConversation(ctx, socketpair.Duplex(), "socketpair-duplex", out)
	}
}

func socketpairPipeFlags(fs *flag.FlagSet) runFunc {
	rounds := fs.Int("rounds", 3, "number of Hi! Child! / Hi! Parent! rounds")
	return func(ctx context.Context, _ []string, out io.Writer) error {
		if *rounds <= 0 {
			return fmt.Errorf("-rounds %d: must be positive", *rounds)
		}
		return runConversation(ctx, socketpair.PingPong(*rounds), "socketpair-pipe", out)
	}
}

// runConversation plays the parent of c, re-executing this program with
// the same recipe as the child; in that child, socketpair.ChildEnv is set
// and the recipe plays the child's side instead.
func runConversation(ctx context.Context, c socketpair.Conversation, slug string, out io.Writer) error {
	if socketpair.IsChild() {
		return socketpair.RunChild(ctx, out)
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	err = c.RunCmd(ctx, exec.Command(exe, slug), out)
	if errors.Is(err, context.Canceled) {
		return nil // Ctrl-C: the child has been stopped and reaped
	}
	return err
}

func unixEchoFlags(fs *flag.FlagSet) runFunc {
	path := fs.String("path", "./domain.sock", "socket path; a leading @ names a Linux abstract socket")
	idle := fs.Duration("idle", 0, "close clients silent for this long (0: never)")
	return func(ctx context.Context, _ []string, out io.Writer) error {
		ln, err := unixecho.Listen(ctx, *path)
		return serve(ctx, out, ln, err, &unixecho.Server{IdleTimeout: *idle, Logger: newLogger(out)})
	}
}
