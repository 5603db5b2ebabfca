package tlsecho

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
	"time"

	"github.com/sockbook/sockbook/pkg/echo"
	"github.com/sockbook/sockbook/pkg/socketserver"
)

// DefaultHandshakeTimeout bounds a handshake when Server.HandshakeTimeout
// is zero.
const DefaultHandshakeTimeout = 10 * time.Second

// Server is a TLS echo server: it completes a TLS handshake with each
// client and then echoes what the client sends, as package echo does.
//
// A client that fails the handshake, by speaking plaintext, sending
// garbage, offering no suite or version in common, or saying nothing for
// HandshakeTimeout, is logged and disconnected; the others are unaffected.
type Server struct {
	// TLS is the server's TLS configuration, with at least one certificate.
	// Config.TLSConfig builds one.
	TLS *tls.Config

	// HandshakeTimeout bounds each handshake. Zero means
	// DefaultHandshakeTimeout. Echo.IdleTimeout applies only after it.
	HandshakeTimeout time.Duration

	// Echo echoes each connection once its handshake is done.
	Echo echo.Handler

	// MaxConns bounds the connections served at once; zero means no bound.
	MaxConns int

	// Logger receives handshake failures, accept errors and each
	// connection's negotiated version and suite. Nil discards them.
	Logger *slog.Logger
}

// Serve accepts TCP connections on ln and serves TLS echo on them until ctx
// ends, then stops as socketserver.Server.Serve does: it closes ln, lets
// every connection finish its shutdown, and returns nil. Serve takes
// ownership of ln.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	if s.TLS == nil || (len(s.TLS.Certificates) == 0 && s.TLS.GetCertificate == nil && s.TLS.GetConfigForClient == nil) {
		ln.Close()
		return errors.New("tlsecho: Server.TLS has no certificate")
	}
	srv := socketserver.Server{
		Handler:  socketserver.HandlerFunc(s.serveConn),
		MaxConns: s.MaxConns,
		Logger:   s.Logger,
	}
	return srv.Serve(ctx, tls.NewListener(ln, s.TLS))
}

// serveConn runs the handshake under its own deadline and then the echo.
// tls.Conn would otherwise handshake lazily inside the first Read, where
// only the echo's idle timeout, if any, would bound it.
func (s *Server) serveConn(ctx context.Context, conn net.Conn) {
	tc, ok := conn.(*tls.Conn)
	if !ok {
		// Serve's listener yields only *tls.Conn; this keeps serveConn
		// correct for a plain connection too.
		tc = tls.Server(conn, s.TLS)
	}
	timeout := s.HandshakeTimeout
	if timeout <= 0 {
		timeout = DefaultHandshakeTimeout
	}
	hctx, cancel := context.WithTimeout(ctx, timeout)
	err := tc.HandshakeContext(hctx)
	cancel()
	log := s.logger()
	if err != nil {
		log.Warn("handshake failed", "remote", conn.RemoteAddr().String(), "err", err)
		return
	}
	st := tc.ConnectionState()
	log.Info("handshake done", "remote", conn.RemoteAddr().String(),
		"version", tls.VersionName(st.Version), "cipher", tls.CipherSuiteName(st.CipherSuite))
	s.Echo.ServeConn(ctx, tc)
}

func (s *Server) logger() *slog.Logger {
	if s.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Logger
}
