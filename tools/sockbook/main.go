// Command sockbook runs any sockbook recipe from the shell, the way the
// original cheat sheet's scripts were run and then poked with nc or
// openssl s_client.
//
//	go run ./tools/sockbook -h               # list the recipes
//	go run ./tools/sockbook tcp-echo -h      # a recipe's flags
//	go run ./tools/sockbook tcp-echo         # listen on localhost:5566
//
// Servers print "listening on <network> <address>" as their first line, log
// what they do, and stop cleanly on Ctrl-C (SIGINT) or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"text/tabwriter"
)

// A command is one recipe's program.
type command struct {
	slug  string // the recipe's slug, as in recipes/recipes.tsv
	short string // one line for the recipe list
	// run parses args with its own flag.FlagSet and runs until done or until
	// ctx ends. Output for the user goes to out.
	run func(ctx context.Context, args []string, out io.Writer) error
}

// commands gathers every recipe family's commands, in cheat-sheet order.
func commands() []command {
	var all []command
	for _, family := range []func() []command{
		addrCommands,
		tcpCommands,
		socketserverCommands,
		tlsCommands,
		udpCommands,
		ipcCommands,
		eventLoopCommands,
		sendfileCommands,
		afalgCommands,
		sniffCommands,
	} {
		all = append(all, family()...)
	}
	return all
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "sockbook:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out, errOut io.Writer) error {
	cmds := commands()
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		usage(errOut, cmds)
		if len(args) == 0 {
			return errors.New("no recipe given")
		}
		return flag.ErrHelp
	}
	i := slices.IndexFunc(cmds, func(c command) bool { return c.slug == args[0] })
	if i < 0 {
		return fmt.Errorf("unknown recipe %q (sockbook -h lists them)", args[0])
	}
	return cmds[i].run(ctx, args[1:], out)
}

func usage(w io.Writer, cmds []command) {
	fmt.Fprintln(w, "usage: sockbook <recipe> [flags]   (sockbook <recipe> -h for its flags)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "recipes:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, c := range cmds {
		fmt.Fprintf(tw, "  %s\t%s\n", c.slug, c.short)
	}
	tw.Flush()
}

// newFlags returns a FlagSet for a recipe whose usage names the recipe and
// whose errors are returned, not printed and exited on.
func newFlags(slug, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(slug, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: sockbook %s %s\n", slug, strings.TrimSpace(synopsis))
		fs.PrintDefaults()
	}
	return fs
}

// newLogger returns a logger that writes key=value lines to w without
// timestamps, for servers' running commentary.
func newLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
}

// announce prints the line every server command starts with, which tests
// and scripts read to learn the address actually bound.
func announce(w io.Writer, addr net.Addr) {
	fmt.Fprintf(w, "listening on %s %s\n", addr.Network(), addr)
}

// A server is what every stream server in pkg/ is: configured by its
// fields, run by Serve until ctx ends.
type server interface {
	Serve(ctx context.Context, ln net.Listener) error
}

// serve is the end of every server command: given the listener it opened
// (or the error opening it), it prints the listening line and serves until
// ctx ends.
func serve(ctx context.Context, out io.Writer, ln net.Listener, err error, srv server) error {
	if err != nil {
		return err
	}
	announce(out, ln.Addr())
	return srv.Serve(ctx, ln)
}

// listen opens a stream listener on network and address.
func listen(ctx context.Context, network, address string) (net.Listener, error) {
	var lc net.ListenConfig
	return lc.Listen(ctx, network, address)
}

// parseListen parses the flags of a server that listens on -addr
// (localhost:5566 by default) and takes the flags more registers, if any.
func parseListen(slug, synopsis string, args []string, more func(*flag.FlagSet)) (addr string, err error) {
	fs := newFlags(slug, strings.TrimSpace("[-addr host:port] "+synopsis))
	fs.StringVar(&addr, "addr", "localhost:5566", "address to listen on")
	if more != nil {
		more(fs)
	}
	return addr, fs.Parse(args)
}
