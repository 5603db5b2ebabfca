package socketserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"runtime/debug"
	"sync"
	"time"
)

// A Handler serves one connection. The server closes conn after ServeConn
// returns. ctx ends when the server shuts down; a handler should then finish
// what it has in hand and return promptly.
type Handler interface {
	ServeConn(ctx context.Context, conn net.Conn)
}

// HandlerFunc adapts an ordinary function to the Handler interface.
type HandlerFunc func(ctx context.Context, conn net.Conn)

// ServeConn calls f(ctx, conn).
func (f HandlerFunc) ServeConn(ctx context.Context, conn net.Conn) { f(ctx, conn) }

// Server runs a Handler for every connection a stream listener accepts:
// TCP, UNIX stream sockets, or TLS over either. Each connection is served in
// its own goroutine.
type Server struct {
	// Handler serves each connection. It must be set.
	Handler Handler

	// MaxConns bounds how many connections are served at once. When that
	// many are open the server stops accepting, and further clients wait in
	// the kernel's listen backlog until one finishes. Zero means no bound.
	MaxConns int

	// Logger receives accept errors and handler panics. Nil discards them.
	Logger *slog.Logger
}

// Serve accepts connections on ln and serves them until ctx ends. It then
// closes ln, cancels the context passed to the handlers, waits for every
// handler to return, and returns nil. Serve takes ownership of ln: it is
// closed when Serve returns, whatever the reason.
//
// Temporary accept errors, such as running out of file descriptors, are
// logged and retried with a growing delay. Any other accept error stops the
// server and is returned, after the handlers have finished.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	if s.Handler == nil {
		ln.Close()
		return errors.New("socketserver: Server.Handler is nil")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	defer ln.Close()

	var wg sync.WaitGroup
	defer wg.Wait()

	var slots chan struct{}
	if s.MaxConns > 0 {
		slots = make(chan struct{}, s.MaxConns)
	}
	var delay time.Duration
	for {
		if slots != nil {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return nil
			}
		}
		conn, err := ln.Accept()
		if err != nil {
			if slots != nil {
				<-slots
			}
			if ctx.Err() != nil {
				return nil
			}
			if isTemporary(err) {
				delay = backoff(delay)
				s.logger().Warn("accept failed; retrying", "listener", ln.Addr().String(), "err", err, "delay", delay)
				select {
				case <-time.After(delay):
				case <-ctx.Done():
					return nil
				}
				continue
			}
			cancel()
			return fmt.Errorf("socketserver: accept on %s: %w", ln.Addr(), err)
		}
		delay = 0
		wg.Go(func() {
			defer func() {
				if slots != nil {
					<-slots
				}
			}()
			s.serveConn(ctx, conn)
		})
	}
}

// serveConn runs the handler for one connection, closing the connection
// afterwards and containing a panic to that connection, as net/http does.
func (s *Server) serveConn(ctx context.Context, conn net.Conn) {
	defer conn.Close()
	defer containPanic(s.Logger, conn.RemoteAddr())
	s.Handler.ServeConn(ctx, conn)
}

func (s *Server) logger() *slog.Logger { return orDiscard(s.Logger) }

// containPanic, deferred around a handler, stops a panic there and logs
// it with the client's address and the stack: one bad request must not
// take down the server.
func containPanic(log *slog.Logger, remote net.Addr) {
	if v := recover(); v != nil {
		orDiscard(log).Error("handler panicked", "remote", remote.String(), "panic", v, "stack", string(debug.Stack()))
	}
}

// orDiscard returns log, or a logger that discards when log is nil.
func orDiscard(log *slog.Logger) *slog.Logger {
	if log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return log
}

// isTemporary reports whether an accept error is worth retrying: running
// out of descriptors or memory, or a connection aborted before accept.
func isTemporary(err error) bool {
	var ne interface{ Temporary() bool }
	return errors.As(err, &ne) && ne.Temporary()
}

func backoff(d time.Duration) time.Duration {
	if d == 0 {
		return 5 * time.Millisecond
	}
	return min(2*d, time.Second)
}
