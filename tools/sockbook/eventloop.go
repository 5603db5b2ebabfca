package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/sockbook/sockbook/pkg/eventloop"
	"github.com/sockbook/sockbook/pkg/selectors"
	"github.com/sockbook/sockbook/pkg/threadserver"
	"github.com/sockbook/sockbook/pkg/tlsecho"
)

// eventLoopCommands returns the commands of chapter 06-event-loops.
func eventLoopCommands() []command {
	loop := func(m eventloop.Mechanism) func(context.Context, []string, io.Writer) error {
		return func(ctx context.Context, args []string, out io.Writer) error {
			return runEventLoop(ctx, m, args, out)
		}
	}
	return []command{
		{"thread-server", "echo server with a goroutine per client (Go's thread per client)", runThreadServer},
		{"select-server", "echo server on one select(2) loop over non-blocking sockets (try: nc localhost 5566)", loop(eventloop.Select)},
		{"poll-server", "echo server on one poll(2) loop over non-blocking sockets", loop(eventloop.Poll)},
		{"epoll-server", "echo server on one epoll loop (Linux) over non-blocking sockets", loop(eventloop.Epoll)},
		{"kqueue-server", "echo server on one kqueue loop (macOS, BSD; elsewhere it says unsupported)", loop(eventloop.Kqueue)},
		{"selectors", "echo server on a Selector, handlers attached to keys as Python's selectors", runSelectors},
		{"nonblocking-tls", "TLS echo server driven by a Selector; self-signed certificate unless -cert/-key (try: openssl s_client -connect localhost:5566)", runNonblockingTLS},
	}
}

func runEventLoop(ctx context.Context, m eventloop.Mechanism, args []string, out io.Writer) error {
	srv := &eventloop.Server{Mechanism: m, Logger: newLogger(out)}
	addr, err := parseListen(string(m)+"-server", "[-max-pending bytes]", args, func(fs *flag.FlagSet) {
		fs.IntVar(&srv.MaxPending, "max-pending", eventloop.DefaultMaxPending, "pause reading from a client with this many bytes unsent")
	})
	if err != nil {
		return err
	}
	// Refuse a mechanism this system lacks before listening, so that no
	// "listening on" line promises a server that will not run.
	if err := m.Available(); err != nil {
		return err
	}
	ln, err := listen(ctx, "tcp", addr)
	return serve(ctx, out, ln, err, srv)
}

// newSelector returns the Selector constructor named by the -selector flag.
func newSelector(name string) (func() (selectors.Selector, error), error) {
	switch name {
	case "default":
		return selectors.NewDefaultSelector, nil
	case "select":
		return selectors.NewSelectSelector, nil
	case "poll":
		return selectors.NewPollSelector, nil
	case "epoll":
		return selectors.NewEpollSelector, nil
	case "kqueue":
		return selectors.NewKqueueSelector, nil
	}
	return nil, fmt.Errorf("-selector %q: want default, select, poll, epoll or kqueue", name)
}

// selectorFlags parses the flags both Selector servers take.
func selectorFlags(slug, synopsis string, args []string, more func(*flag.FlagSet)) (addr string, newSel func() (selectors.Selector, error), err error) {
	var name string
	addr, err = parseListen(slug, "[-selector default|select|poll|epoll|kqueue] "+synopsis, args, func(fs *flag.FlagSet) {
		fs.StringVar(&name, "selector", "default", "the Selector's mechanism")
		if more != nil {
			more(fs)
		}
	})
	if err != nil {
		return "", nil, err
	}
	newSel, err = newSelector(name)
	if err != nil {
		return "", nil, err
	}
	// Fail before listening on a mechanism this system lacks.
	sel, err := newSel()
	if err != nil {
		return "", nil, err
	}
	return addr, newSel, sel.Close()
}

func runSelectors(ctx context.Context, args []string, out io.Writer) error {
	addr, newSel, err := selectorFlags("selectors", "", args, nil)
	if err != nil {
		return err
	}
	ln, err := listen(ctx, "tcp", addr)
	return serve(ctx, out, ln, err, &selectors.EchoServer{NewSelector: newSel, Logger: newLogger(out)})
}

func runNonblockingTLS(ctx context.Context, args []string, out io.Writer) error {
	var certFile, keyFile string
	addr, newSel, err := selectorFlags("nonblocking-tls", "[-cert cert.pem -key key.pem]", args, func(fs *flag.FlagSet) {
		fs.StringVar(&certFile, "cert", "", "PEM certificate chain (default: a self-signed one made at start)")
		fs.StringVar(&keyFile, "key", "", "PEM private key for -cert")
	})
	if err != nil {
		return err
	}
	var cert tls.Certificate
	switch {
	case certFile != "" && keyFile != "":
		cert, err = tls.LoadX509KeyPair(certFile, keyFile)
	case certFile != "" || keyFile != "":
		err = errors.New("-cert and -key go together")
	default:
		cert, err = tlsecho.NewSelfSigned(tlsecho.ECDSAP256, tlsecho.DefaultHosts()...)
	}
	if err != nil {
		return err
	}
	ln, err := listen(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	srv := &selectors.TLSEchoServer{TLS: &tls.Config{Certificates: []tls.Certificate{cert}}, NewSelector: newSel, Logger: newLogger(out)}
	announce(out, ln.Addr())
	if certFile == "" {
		fmt.Fprintln(out, "using a self-signed certificate made at start: clients must skip verification or trust it")
	}
	return srv.Serve(ctx, ln)
}

func runThreadServer(ctx context.Context, args []string, out io.Writer) error {
	srv := &threadserver.Server{Logger: newLogger(out)}
	addr, err := parseListen("thread-server", "[-max n] [-idle duration]", args, func(fs *flag.FlagSet) {
		fs.IntVar(&srv.MaxClients, "max", 0, "serve at most this many clients at once (0: no bound)")
		fs.DurationVar(&srv.IdleTimeout, "idle", 0, "close clients silent for this long (0: never)")
	})
	if err != nil {
		return err
	}
	ln, err := listen(ctx, "tcp", addr)
	return serve(ctx, out, ln, err, srv)
}
