package unixecho

import (
	"context"
	"log/slog"
	"net"
	"time"

	"github.com/sockbook/sockbook/pkg/echo"
	"github.com/sockbook/sockbook/pkg/socketserver"
)

// Server is the UNIX stream socket echo server. Its zero value echoes
// with no idle timeout and logs nothing. Its lifecycle is
// socketserver.Server's.
type Server struct {
	IdleTimeout time.Duration // close a client that is silent this long
	Logger      *slog.Logger  // one line per connection; nil discards
}

// Serve echoes every connection ln accepts until ctx ends, then stops as
// socketserver.Server.Serve does. Closing ln removes the socket file it
// created.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &socketserver.Server{
		Handler: &echo.Handler{IdleTimeout: s.IdleTimeout, Logger: s.Logger},
		Logger:  s.Logger,
	}
	return srv.Serve(ctx, ln)
}
