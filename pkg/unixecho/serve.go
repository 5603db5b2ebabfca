package unixecho

import (
	"context"
	"log/slog"
	"net"
	"time"

	"github.com/sockbook/sockbook/pkg/echo"
	"github.com/sockbook/sockbook/pkg/socketserver"
)

// Options configure Serve. The zero value echoes with no idle timeout and
// logs nothing.
type Options struct {
	IdleTimeout time.Duration // close a client that is silent this long
	Logger      *slog.Logger  // one line per connection; nil discards
}

// Serve echoes every connection ln accepts until ctx ends, then returns
// nil once every connection is finished. It closes ln, which removes the
// socket file it created.
func Serve(ctx context.Context, ln net.Listener, opts Options) error {
	srv := &socketserver.Server{
		Handler: &echo.Handler{IdleTimeout: opts.IdleTimeout, Logger: opts.Logger},
		Logger:  opts.Logger,
	}
	return srv.Serve(ctx, ln)
}
