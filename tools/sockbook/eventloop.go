package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"log/slog"

	"github.com/sockbook/sockbook/pkg/eventloop"
	"github.com/sockbook/sockbook/pkg/selectors"
)

// eventLoopCommands returns the commands of chapter 06-event-loops (but
// thread-server, in threadserver.go).
func eventLoopCommands() []command {
	loop := func(m eventloop.Mechanism) func(context.Context, []string, io.Writer) error {
		return func(ctx context.Context, args []string, out io.Writer) error {
			return runEventLoop(ctx, m, args, out)
		}
	}
	return []command{
		{"select-server", "echo server on one select(2) loop over non-blocking sockets (try: nc localhost 5566)", loop(eventloop.Select)},
		{"poll-server", "echo server on one poll(2) loop over non-blocking sockets", loop(eventloop.Poll)},
		{"epoll-server", "echo server on one epoll loop (Linux) over non-blocking sockets", loop(eventloop.Epoll)},
		{"kqueue-server", "echo server on one kqueue loop (macOS, BSD; elsewhere it says unsupported)", loop(eventloop.Kqueue)},
		{"selectors", "echo server on a Selector, handlers attached to keys as Python's selectors", runSelectors},
		{"nonblocking-tls", "TLS echo server driven by a Selector; self-signed certificate unless -cert/-key (try: openssl s_client -connect localhost:5566)", runNonblockingTLS},
	}
}

// logLogger adapts the commands' slog logger to the *log.Logger the
// eventloop and selectors packages take.
func logLogger(out io.Writer) *log.Logger {
	return slog.NewLogLogger(newLogger(out).Handler(), slog.LevelInfo)
}

func runEventLoop(ctx context.Context, m eventloop.Mechanism, args []string, out io.Writer) error {
	slug := string(m) + "-server"
	fs := newFlags(slug, "[-addr host:port] [-max-pending bytes]")
	addr := fs.String("addr", "localhost:5566", "address to listen on")
	maxPending := fs.Int("max-pending", eventloop.DefaultMaxPending, "pause reading from a client with this many bytes unsent")
	if err := fs.Parse(args); err != nil {
		return err
	}
	s, err := eventloop.Listen(m, *addr, &eventloop.Config{MaxPending: *maxPending, Logger: logLogger(out)})
	if err != nil {
		return err
	}
	announce(out, s.Addr())
	return s.Serve(ctx)
}

// newSelector returns the Selector named by the -selector flag.
func newSelector(name string) (selectors.Selector, error) {
	switch name {
	case "default":
		return selectors.NewDefaultSelector()
	case "select":
		return selectors.NewSelectSelector()
	case "poll":
		return selectors.NewPollSelector()
	case "epoll":
		return selectors.NewEpollSelector()
	case "kqueue":
		return selectors.NewKqueueSelector()
	}
	return nil, fmt.Errorf("-selector %q: want default, select, poll, epoll or kqueue", name)
}

func runSelectors(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlags("selectors", "[-addr host:port] [-selector default|select|poll|epoll|kqueue]")
	addr := fs.String("addr", "localhost:5566", "address to listen on")
	name := fs.String("selector", "default", "the Selector's mechanism")
	if err := fs.Parse(args); err != nil {
		return err
	}
	sel, err := newSelector(*name)
	if err != nil {
		return err
	}
	s, err := selectors.NewEchoServer(*addr, sel, &eventloop.Config{Logger: logLogger(out)})
	if err != nil {
		return err
	}
	announce(out, s.Addr())
	return s.Serve(ctx)
}

func runNonblockingTLS(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlags("nonblocking-tls", "[-addr host:port] [-cert cert.pem -key key.pem] [-selector name]")
	addr := fs.String("addr", "localhost:5566", "address to listen on")
	certFile := fs.String("cert", "", "PEM certificate chain (default: a self-signed one made at start)")
	keyFile := fs.String("key", "", "PEM private key for -cert")
	name := fs.String("selector", "default", "the Selector's mechanism")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var cert tls.Certificate
	var err error
	switch {
	case *certFile != "" && *keyFile != "":
		cert, err = tls.LoadX509KeyPair(*certFile, *keyFile)
	case *certFile != "" || *keyFile != "":
		err = fmt.Errorf("-cert and -key go together")
	default:
		cert, err = selectors.SelfSigned("localhost", "127.0.0.1", "::1")
	}
	if err != nil {
		return err
	}
	sel, err := newSelector(*name)
	if err != nil {
		return err
	}
	s, err := selectors.NewTLSEchoServer(*addr, &tls.Config{Certificates: []tls.Certificate{cert}}, sel,
		&eventloop.Config{Logger: logLogger(out)})
	if err != nil {
		return err
	}
	announce(out, s.Addr())
	if *certFile == "" {
		fmt.Fprintln(out, "using a self-signed certificate made at start: clients must skip verification or trust it")
	}
	return s.Serve(ctx)
}
