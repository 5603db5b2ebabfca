package main

import (
	"context"
	"crypto/tls"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/sockbook/sockbook/pkg/echo"
	"github.com/sockbook/sockbook/pkg/eventloop"
	"github.com/sockbook/sockbook/pkg/selectors"
	"github.com/sockbook/sockbook/pkg/socketserver"
	"github.com/sockbook/sockbook/pkg/tcpecho"
	"github.com/sockbook/sockbook/pkg/tlsecho"
)

// serverKinds lists the echo servers of pkg/ that the hidden serve
// subcommand can run, in the order the reports show them.
func serverKinds() []string {
	return []string{
		"goroutine", "socketserver", "select", "poll", "epoll", "selector",
		"tls-goroutine", "tls-selector",
	}
}

// isTLS reports whether a server kind speaks TLS, so that its clients must
// too.
func isTLS(kind string) bool { return kind == "tls-goroutine" || kind == "tls-selector" }

// runServe is the hidden serve subcommand: one echo server in its own
// process, so that the benchmark can pin it to a core and read its CPU time
// and memory from /proc without counting the load generator.
func runServe(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	kind := fs.String("kind", "epoll", "server to run")
	addr := fs.String("addr", "127.0.0.1:0", "address to listen on")
	cert := fs.String("cert", "", "PEM certificate for the TLS servers")
	key := fs.String("key", "", "PEM private key for the TLS servers")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	var tlsConfig *tls.Config
	if isTLS(*kind) {
		pair, err := tls.LoadX509KeyPair(*cert, *key)
		if err != nil {
			return fmt.Errorf("serve %s: load -cert %q -key %q: %w", *kind, *cert, *key, err)
		}
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{pair}}
	}
	announce := func(a net.Addr) { fmt.Fprintf(out, "listening on tcp %s\n", a) }

	var srv interface {
		Serve(context.Context, net.Listener) error
	}
	switch *kind {
	case "goroutine":
		srv = &tcpecho.Server{}
	case "socketserver":
		srv = &socketserver.Server{Handler: &echo.Handler{}}
	case "tls-goroutine":
		srv = &tlsecho.Server{TLS: tlsConfig}
	case "select", "poll", "epoll":
		srv = &eventloop.Server{Mechanism: eventloop.Mechanism(*kind)}
	case "selector":
		srv = &selectors.EchoServer{}
	case "tls-selector":
		srv = &selectors.TLSEchoServer{TLS: tlsConfig}
	default:
		return fmt.Errorf("serve: unknown -kind %q (want one of %v)", *kind, serverKinds())
	}
	ln, err := tcpecho.Listen(ctx, "tcp", *addr)
	if err != nil {
		return fmt.Errorf("serve %s: %w", *kind, err)
	}
	announce(ln.Addr())
	return srv.Serve(ctx, ln)
}
