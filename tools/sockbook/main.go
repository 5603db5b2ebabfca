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
	// usage follows "usage: sockbook <slug>" in the recipe's -h: its flags
	// and arguments, then, after a blank line if any, what it does.
	usage string
	// flags defines the recipe's flags on fs and returns what runs the
	// recipe once they are parsed.
	flags func(fs *flag.FlagSet) runFunc
	// interspersed lets flags come before, between or after the
	// positional arguments, as the cheat sheet's sendfile scripts took them.
	interspersed bool
}

// A runFunc runs a recipe with its positional arguments until done or until
// ctx ends. Output for the user goes to out.
type runFunc func(ctx context.Context, args []string, out io.Writer) error

// run parses the recipe's flags from args and runs it.
func (c command) run(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlags(c.slug, c.usage)
	run := c.flags(fs)
	if !c.interspersed {
		if err := fs.Parse(args); err != nil {
			return err
		}
		return run(ctx, fs.Args(), out)
	}
	positional, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	return run(ctx, positional, out)
}

// parseInterspersed parses flags that may come before, between or after
// the positional arguments, which it returns.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return positional, nil
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// usageError prints the recipe's usage and returns the error of
// positional arguments it cannot take.
func usageError(fs *flag.FlagSet, format string, a ...any) error {
	fs.Usage()
	return fmt.Errorf(format, a...)
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

// A packetServer is what every datagram server in pkg/ is: configured by
// its fields, run by Serve until ctx ends.
type packetServer interface {
	Serve(ctx context.Context, pc net.PacketConn) error
}

// servePacket is the whole of every UDP server command: it opens a UDP
// socket on address, prints the listening line and serves until ctx ends.
func servePacket(ctx context.Context, out io.Writer, address string, srv packetServer) error {
	var lc net.ListenConfig
	pc, err := lc.ListenPacket(ctx, "udp", address)
	if err != nil {
		return err
	}
	announce(out, pc.LocalAddr())
	return srv.Serve(ctx, pc)
}

// listen opens a stream listener on network and address.
func listen(ctx context.Context, network, address string) (net.Listener, error) {
	var lc net.ListenConfig
	return lc.Listen(ctx, network, address)
}

// listenFlag defines -addr, the address a server listens on, on fs. The
// recipe's usage names it as [-addr host:port].
func listenFlag(fs *flag.FlagSet, def string) *string {
	return fs.String("addr", def, "address to listen on")
}
