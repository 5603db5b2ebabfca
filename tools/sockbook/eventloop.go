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

// eventLoopCommand returns the command of the echo server on one m loop.
func eventLoopCommand(m eventloop.Mechanism, short string) command {
	return command{slug: string(m) + "-server", short: short, usage: "[-addr host:port] [-max-pending bytes]", flags: eventLoopFlags(m)}
}

func eventLoopFlags(m eventloop.Mechanism) func(fs *flag.FlagSet) runFunc {
	return func(fs *flag.FlagSet) runFunc {
		addr := listenFlag(fs, "localhost:5566")
		srv := &eventloop.Server{Mechanism: m}
		fs.IntVar(&srv.MaxPending, "max-pending", eventloop.DefaultMaxPending, "pause reading from a client with this many bytes unsent")
		return func(ctx context.Context, _ []string, out io.Writer) error {
			// Refuse a mechanism this system lacks before listening, so
			// that no "listening on" line promises a server that will not
			// run.
			if err := m.Available(); err != nil {
				return err
			}
			srv.Logger = newLogger(out)
			ln, err := listen(ctx, "tcp", *addr)
			return serve(ctx, out, ln, err, srv)
		}
	}
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

// selectorFlag defines -selector on fs and returns a function giving the
// Selector constructor it names, after checking that this system has its
// mechanism, so that a server can fail before listening.
func selectorFlag(fs *flag.FlagSet) func() (func() (selectors.Selector, error), error) {
	name := fs.String("selector", "default", "the Selector's mechanism")
	return func() (func() (selectors.Selector, error), error) {
		newSel, err := newSelector(*name)
		if err != nil {
			return nil, err
		}
		sel, err := newSel()
		if err != nil {
			return nil, err
		}
		return newSel, sel.Close()
	}
}

func selectorsFlags(fs *flag.FlagSet) runFunc {
	addr := listenFlag(fs, "localhost:5566")
	selector := selectorFlag(fs)
	return func(ctx context.Context, _ []string, out io.Writer) error {
		newSel, err := selector()
		if err != nil {
			return err
		}
		ln, err := listen(ctx, "tcp", *addr)
		return serve(ctx, out, ln, err, &selectors.EchoServer{NewSelector: newSel, Logger: newLogger(out)})
	}
}

func nonblockingTLSFlags(fs *flag.FlagSet) runFunc {
	addr := listenFlag(fs, "localhost:5566")
	selector := selectorFlag(fs)
	certFile := fs.String("cert", "", "PEM certificate chain (default: a self-signed one made at start)")
	keyFile := fs.String("key", "", "PEM private key for -cert")
	return func(ctx context.Context, _ []string, out io.Writer) error {
		newSel, err := selector()
		if err != nil {
			return err
		}
		return serveNonblockingTLS(ctx, *addr, newSel, *certFile, *keyFile, out)
	}
}

// serveNonblockingTLS runs the TLS echo server on a Selector, with the
// certificate of the files named or else a self-signed one.
func serveNonblockingTLS(ctx context.Context, addr string, newSel func() (selectors.Selector, error), certFile, keyFile string, out io.Writer) error {
	var cert tls.Certificate
	var err error
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

func threadServerFlags(fs *flag.FlagSet) runFunc {
	addr := listenFlag(fs, "localhost:5566")
	srv := &threadserver.Server{}
	fs.IntVar(&srv.MaxClients, "max", 0, "serve at most this many clients at once (0: no bound)")
	fs.DurationVar(&srv.IdleTimeout, "idle", 0, "close clients silent for this long (0: never)")
	return func(ctx context.Context, _ []string, out io.Writer) error {
		srv.Logger = newLogger(out)
		ln, err := listen(ctx, "tcp", *addr)
		return serve(ctx, out, ln, err, srv)
	}
}
