// Package threadserver is the thread-per-client echo server of the cheat
// sheet, in Go: a goroutine per connection.
//
// It covers the recipe thread-server. Python starts a Thread for each
// accepted connection so that one slow client does not hold up the rest.
// A goroutine does that job for a few kilobytes of stack instead of a
// thread's megabytes, and a blocked Read does not tie up an OS thread: the
// runtime parks the goroutine and waits for the socket in its network
// poller (epoll on Linux, kqueue on the BSDs). That is why the plain
// "accept, then go serve" loop is the usual Go server, and why the
// event-loop recipes of this chapter are lessons in what the runtime does
// for you rather than patterns to copy.
//
// The accept loop and lifecycle are socketserver.Server's; Server adds the
// echo handler and an optional bound on concurrent clients, which a thread-per-client
// server needs and the cheat sheet's does not have.
package threadserver

import (
	"context"
	"log/slog"
	"net"
	"time"

	"github.com/sockbook/sockbook/pkg/echo"
	"github.com/sockbook/sockbook/pkg/socketserver"
)

// Server is the thread-per-client echo server: a goroutine per client.
// Its zero value serves any number of clients. Its lifecycle is
// socketserver.Server's.
type Server struct {
	// MaxClients bounds how many clients are served at once; further
	// clients wait, connected, in the listen backlog. Zero means no bound.
	MaxClients int

	IdleTimeout time.Duration // close a client that is silent this long
	Logger      *slog.Logger  // one line per connection; nil discards
}

// Serve echoes every connection ln accepts, each in its own goroutine,
// until ctx ends, then stops as socketserver.Server.Serve does.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &socketserver.Server{
		Handler:  &echo.Handler{IdleTimeout: s.IdleTimeout, Logger: s.Logger},
		MaxConns: s.MaxClients,
		Logger:   s.Logger,
	}
	return srv.Serve(ctx, ln)
}
