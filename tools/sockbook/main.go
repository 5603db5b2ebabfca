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

	"github.com/sockbook/sockbook/pkg/eventloop"
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

// commands returns every recipe's command, in cheat-sheet order; each
// recipe's flags and program are in the chapter's file named above it.
func commands() []command {
	return []command{
		// addr.go: commands of chapter 01-addresses.
		{
			slug:  "hostname",
			short: "print the host name and the IPv4 address of names (gethostbyname)",
			usage: "[-hosts-only] [name ...]\n\nPrints the host name, then the first IPv4 address of each name\n(default: the host name and localhost).",
			flags: hostnameFlags,
		},
		{
			slug:  "getaddrinfo",
			short: "print the address family and socket address of a host, like gai.py",
			usage: "[-hosts-only] <host>\n\nPrints family and socket address of every address of host;\nprints Invalid and exits with status 1 when there is none.",
			flags: getaddrinfoFlags,
		},
		{
			slug:  "byte-order",
			short: "convert an integer between host and network byte order",
			usage: "[n]\n\nConverts n (default 1; 0x and 0 prefixes allowed) between host\nand network byte order. htons and ntohs need n below 65536.",
			flags: byteOrderFlags,
		},
		{
			slug:  "inet-aton",
			short: "convert an IPv4 address between text and its 4 packed bytes",
			usage: "[-exact] <address>\n\nPacks an IPv4 address into 4 bytes and formats them back.",
			flags: inetAtonFlags,
		},
		{
			slug:  "mac-address",
			short: "convert a MAC address between text, bytes and hex",
			usage: "<mac>\n\nConverts a MAC address (00:11:32:3c:c3:0b, 00-11-..., 0011.323c.c30b\nor 0011323cc30b) to bytes and hex.",
			flags: macAddressFlags,
		},
		// tcp.go: commands of chapter 02-tcp.
		{
			slug:  "tcp-echo",
			short: "TCP echo server over IPv4 (try: nc localhost 5566)",
			usage: "[-addr host:port] [-idle duration]",
			flags: tcpEchoFlags("tcp4", "localhost:5566"),
		},
		{
			slug:  "tcp-echo-ipv6",
			short: "TCP echo server over IPv6 (try: nc -6 ::1 5566)",
			usage: "[-addr host:port] [-idle duration]",
			flags: tcpEchoFlags("tcp6", "[::1]:5566"),
		},
		{
			slug:  "dual-stack",
			short: "one IPv6 socket serving IPv4 and IPv6 clients, printing each peer",
			usage: "[-port n] [-idle duration]",
			flags: dualStackFlags,
		},
		// socketserver.go: socketserver-tcp (chapter 02-tcp) and socketserver-udp (04-udp).
		{
			slug:  "socketserver-tcp",
			short: "socketserver-style TCP server: one read, print the client, send it back",
			usage: "[-addr host:port]",
			flags: socketserverTCPFlags,
		},
		{
			slug:  "socketserver-udp",
			short: "socketserver-style UDP server: echo each datagram, print the client",
			usage: "[-addr host:port]",
			flags: socketserverUDPFlags,
		},
		// tls.go: commands of chapter 03-tls.
		{
			slug:  "tls-echo",
			short: "TLS echo server; self-signed certificate unless -cert/-key (try: openssl s_client -connect localhost:5566)",
			usage: "[-addr host:port] [-cert file -key file] [-write-pem dir] [-min-version v [-allow-tls10]]",
			flags: tlsEchoFlags,
		},
		{
			slug:  "tls-ciphers",
			short: "TLS echo server with chosen cipher suites; prints them as JSON like Python's get_ciphers()",
			usage: "[-addr host:port] [-ciphers list] [-list] [-cert file -key file] [-write-pem dir]",
			flags: tlsCiphersFlags,
		},
		// udp.go: commands of chapter 04-udp.
		{
			slug:  "udp-echo",
			short: "UDP echo server: send every datagram back to its sender",
			usage: "[-addr host:port]",
			flags: udpEchoFlags,
		},
		{
			slug:  "udp-sender",
			short: "send a datagram to an address at an interval (nc -lu shows it)",
			usage: "[-to host:port] [-every duration] [-msg text] [-count n]",
			flags: udpSenderFlags,
		},
		{
			slug:  "udp-broadcast",
			short: "broadcast a timestamp at an interval with SO_BROADCAST",
			usage: "[-to broadcast-address:port] [-every duration] [-count n]",
			flags: udpBroadcastFlags,
		},
		// ipc.go: commands of chapter 05-ipc.
		{
			slug:  "unix-echo",
			short: "UNIX domain socket echo server (try: nc -U ./domain.sock)",
			usage: "[-path ./domain.sock | -path @abstract-name] [-idle duration]",
			flags: unixEchoFlags,
		},
		{
			slug:  "socketpair-duplex",
			short: "parent and child process greet each other over a socketpair",
			flags: socketpairDuplexFlags,
		},
		{
			slug:  "socketpair-pipe",
			short: "parent and child process take turns over a socketpair, like a pipe",
			usage: "[-rounds n]",
			flags: socketpairPipeFlags,
		},
		// eventloop.go: commands of chapter 06-event-loops.
		{
			slug:  "thread-server",
			short: "echo server with a goroutine per client (Go's thread per client)",
			usage: "[-addr host:port] [-max n] [-idle duration]",
			flags: threadServerFlags,
		},
		eventLoopCommand(eventloop.Select, "echo server on one select(2) loop over non-blocking sockets (try: nc localhost 5566)"),
		eventLoopCommand(eventloop.Poll, "echo server on one poll(2) loop over non-blocking sockets"),
		eventLoopCommand(eventloop.Epoll, "echo server on one epoll loop (Linux) over non-blocking sockets"),
		eventLoopCommand(eventloop.Kqueue, "echo server on one kqueue loop (macOS, BSD; elsewhere it says unsupported)"),
		{
			slug:  "selectors",
			short: "echo server on a Selector, handlers attached to keys as Python's selectors",
			usage: "[-addr host:port] [-selector default|select|poll|epoll|kqueue]",
			flags: selectorsFlags,
		},
		{
			slug:  "nonblocking-tls",
			short: "TLS echo server driven by a Selector; self-signed certificate unless -cert/-key (try: openssl s_client -connect localhost:5566)",
			usage: "[-addr host:port] [-selector default|select|poll|epoll|kqueue] [-cert cert.pem -key key.pem]",
			flags: nonblockingTLSFlags,
		},
		// sendfile.go: commands of chapter 07-sendfile.
		{
			slug:         "sendfile-copy",
			short:        "copy a file with sendfile, copy_file_range or io.Copy",
			usage:        "[-method sendfile|copy_file_range|io.Copy|read/write] [-chunk n] <src> <dst>",
			flags:        sendfileCopyFlags,
			interspersed: true,
		},
		{
			slug:         "sendfile-socket",
			short:        "serve a file to TCP clients with sendfile (or send it with -send)",
			usage:        "[-addr host:port] [-send] [-method sendfile|io.Copy|read/write] [-chunk n] <file>",
			flags:        sendfileSocketFlags,
			interspersed: true,
		},
		// afalg.go: commands of chapter 08-afalg.
		{
			slug:  "afalg-hash",
			short: "hash a message, file or stdin with the kernel's crypto API (AF_ALG)",
			usage: "[-alg sha256] [-key hex] [-backend auto|kernel|go] [file|-]",
			flags: afalgHashFlags,
		},
		{
			slug:  "afalg-aes-cbc",
			short: "AES-CBC encrypt and decrypt via AF_ALG",
			usage: "[-key hex] [-iv hex] [-msg text] [-backend auto|kernel|go]",
			flags: afalgCBCFlags,
		},
		{
			slug:  "afalg-aes-gcm",
			short: "AES-GCM encrypt and decrypt via AF_ALG",
			usage: "[-key hex] [-nonce hex] [-aad hex] [-tagsize 16] [-msg text] [-backend auto|kernel|go]",
			flags: afalgGCMFlags,
		},
		{
			slug:  "afalg-gcm-sendfile",
			short: "AES-GCM encrypt and decrypt a file fed to AF_ALG by sendfile",
			usage: "[-key hex] [-nonce hex] [-aad hex] [-tagsize 16] [-backend auto|kernel|go] <file>",
			flags: afalgSendfileFlags,
		},
		{
			slug:  "afalg-benchmark",
			short: "time AES-GCM on AF_ALG against crypto/cipher",
			usage: "[-n 1000] [-size 4096] [-backend auto|kernel|go]",
			flags: afalgBenchmarkFlags,
		},
		// sniff.go: packet sniffers of chapter 09-sniffers. They open raw sockets, so they need root or CAP_NET_RAW.
		{
			slug:  "sniff-ip",
			short: "print protocol, source and destination of incoming ICMP packets (root)",
			usage: "[-proto icmp|tcp|udp|number] [-count n]",
			flags: sniffIPFlags,
		},
		{
			slug:  "sniff-tcp",
			short: "print the headers and data of incoming TCP segments (root)",
			usage: "[-port n] [-all] [-count n]",
			flags: sniffTCPFlags,
		},
		{
			slug:  "sniff-arp",
			short: "print the Ethernet and ARP headers of ARP frames (root)",
			usage: "[-i interface] [-count n]",
			flags: sniffARPFlags,
		},
	}
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
