// Command bench measures sockbook's implementations side by side on one
// machine in one run, with an outside anchor for each, and writes the
// results as Markdown, JSON and SVG charts for the site.
//
//	go run ./tools/bench [-short] [-out DIR] <echo|sendfile|aes-gcm|decode|kernel|all> [flags]
//	go run ./tools/bench [-out DIR] render
//
// The subcommands:
//
//   - echo: every echo server of pkg/ and gnet v2, each in its own process
//     pinned to one CPU, under a closed-loop and a paced load from a Go load
//     generator pinned to the other, then holding thousands of idle
//     connections; echoes per second, latency, CPU per echo and memory per
//     connection.
//   - sendfile: copying a file in page cache to a file and to a TCP socket
//     with read/write, io.Copy, sendfile and copy_file_range, and cp.
//   - aes-gcm: AES-GCM through the kernel's AF_ALG and through crypto/cipher.
//   - decode: the IPv4, TCP and ARP decoders of pkg/sniff against gopacket.
//   - kernel: the sockbook kernel's latencies (start, a trivial cell,
//     inspect, complete, interrupting each blocking cell of its tests),
//     from the Go benchmarks of tools/kernel, against the kernel's targets;
//     and one notebook run by tools/nbrun and by Debian's nbclient.
//
// render redraws every chart from the JSON results beside it, so that the
// committed SVGs are always a function of the committed measurements.
//
// -short runs each briefly, as CI's smoke test does. Results go to
// tools/bench/results unless -out says otherwise; -out "" writes nothing.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// commonFlags are the flags every subcommand takes.
type commonFlags struct {
	short bool
	out   string
}

func (c *commonFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&c.short, "short", c.short, "run briefly, as a smoke test")
	fs.StringVar(&c.out, "out", c.out, "folder for the Markdown, JSON and SVG results; empty writes none")
}

// A subcommand measures one family and reports what it found.
type subcommand struct {
	name  string
	short string
	run   func(ctx context.Context, args []string, common *commonFlags) (*Report, error)
}

func subcommands() []subcommand {
	return []subcommand{
		{"echo", "echo servers: throughput, latency, CPU and memory per connection", runEcho},
		{"sendfile", "file to file and file to TCP: read/write, io.Copy, sendfile, copy_file_range, cp", runSendfile},
		{"aes-gcm", "AES-GCM through AF_ALG and crypto/cipher", runAESGCM},
		{"decode", "packet decoders against gopacket", runDecode},
		{"kernel", "the sockbook kernel: start, cells, inspect, interrupts; nbrun against nbclient", runKernel},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out io.Writer) error {
	common := commonFlags{out: "tools/bench/results"}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	common.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: bench [-short] [-out DIR] <subcommand|all> [flags]")
		for _, s := range subcommands() {
			fmt.Fprintf(fs.Output(), "  %-9s %s\n", s.name, s.short)
		}
		fmt.Fprintf(fs.Output(), "  %-9s %s\n", "render", "redraw the SVG charts of -out from its JSON results, measuring nothing")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	args = fs.Args()
	if len(args) == 0 {
		fs.Usage()
		return flag.ErrHelp
	}
	name, rest := args[0], args[1:]
	switch name {
	case "serve": // hidden: the echo subcommand's server processes
		return runServe(ctx, rest, out)
	case "render":
		if len(rest) > 0 {
			return fmt.Errorf("render: unexpected argument %q", rest[0])
		}
		return renderCharts(common.out, out)
	}
	var todo []subcommand
	for _, s := range subcommands() {
		if name == s.name || name == "all" {
			todo = append(todo, s)
		}
	}
	if len(todo) == 0 {
		fs.Usage()
		return fmt.Errorf("unknown subcommand %q", name)
	}
	for _, s := range todo {
		c := common
		load := loadAverage()
		r, err := s.run(ctx, rest, &c)
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		r.Machine.noteLoad(load, loadAverage())
		r.Mode = "full"
		if c.short {
			r.Mode = "short"
		}
		r.Command = "go run ./tools/bench " + s.name
		r.Print(out)
		if c.out != "" {
			if err := r.Save(c.out); err != nil {
				return fmt.Errorf("%s: %w", s.name, err)
			}
			fmt.Fprintf(out, "wrote %s/%s.md\n", c.out, s.name)
		}
	}
	return nil
}
