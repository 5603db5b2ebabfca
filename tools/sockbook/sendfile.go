package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strings"

	"github.com/sockbook/sockbook/pkg/sendfile"
)

// sendfileCommands returns the commands of chapter 07-sendfile.
func sendfileCommands() []command {
	return []command{
		{slug: "sendfile-copy", short: "copy a file with sendfile, copy_file_range or io.Copy", run: runSendfileCopy},
		{slug: "sendfile-socket", short: "serve a file to TCP clients with sendfile (or send it with -send)", run: runSendfileSocket},
	}
}

// methodFlag is a -method flag holding a sendfile.Method.
type methodFlag struct{ m sendfile.Method }

func (f *methodFlag) String() string { return f.m.String() }

func (f *methodFlag) Set(s string) (err error) {
	f.m, err = sendfile.ParseMethod(s)
	return err
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

func runSendfileCopy(_ context.Context, args []string, out io.Writer) error {
	fs := newFlags("sendfile-copy", "[-method sendfile|copy_file_range|io.Copy|read/write] [-chunk n] <src> <dst>")
	method := &methodFlag{sendfile.Sendfile}
	fs.Var(method, "method", "how to copy: sendfile, copy_file_range, io.Copy or read/write")
	chunk := fs.Int("chunk", 4096, "bytes asked of each sendfile, copy_file_range or read call (the cheat sheet's count)")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 2 {
		fs.Usage()
		return fmt.Errorf("sendfile-copy: want a source and a destination, got %d arguments", len(files))
	}
	st, err := sendfile.Copier{Method: method.m, Chunk: *chunk}.CopyFile(files[1], files[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "copied %d bytes from %s to %s with %v; %s\n", st.Bytes, files[0], files[1], st.Method, describeStats(st))
	return nil
}

// describeStats says, on one line, which system calls a copy or send took.
func describeStats(st sendfile.Stats) string {
	var parts []string
	if st.Fallback != nil {
		parts = append(parts, fmt.Sprintf("fell back to %v after %v", st.Method, st.Fallback))
	}
	if st.Calls > 0 {
		parts = append(parts, fmt.Sprintf("%v calls: %d (largest %d bytes), retried: %d", st.Method, st.Calls, st.Largest, st.Retries))
	}
	if st.Kernel.Measured {
		parts = append(parts, fmt.Sprintf("kernel counted %d read-side and %d write-side system calls", st.Kernel.ReadCalls, st.Kernel.WriteCalls))
	}
	return strings.Join(parts, "; ")
}

func runSendfileSocket(ctx context.Context, args []string, out io.Writer) error {
	fs := newFlags("sendfile-socket", "[-addr host:port] [-send] [-method sendfile|io.Copy|read/write] [-chunk n] <file>")
	addr := fs.String("addr", "localhost:5566", "address to listen on, or with -send to connect to")
	send := fs.Bool("send", false, "connect to -addr and send the file once, instead of serving it")
	method := &methodFlag{sendfile.Sendfile}
	fs.Var(method, "method", "how to send: sendfile, io.Copy or read/write")
	chunk := fs.Int("chunk", 4096, "bytes asked of each sendfile or read call (the cheat sheet's count)")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		fs.Usage()
		return fmt.Errorf("sendfile-socket: want one file, got %d arguments", len(files))
	}
	path := files[0]
	copier := sendfile.Copier{Method: method.m, Chunk: *chunk}
	if *send {
		return sendOnce(ctx, *addr, path, copier, out)
	}

	// Check the file before announcing an address no one will be served on.
	if fi, err := os.Stat(path); err != nil {
		return err
	} else if !fi.Mode().IsRegular() {
		return fmt.Errorf("sendfile-socket: %s: %w", path, sendfile.ErrNotRegular)
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "listening on tcp %s\n", ln.Addr())
	srv := &sendfile.Server{Path: path, Copier: copier, Log: func(client net.Addr, st sendfile.Stats, err error) {
		if err != nil {
			fmt.Fprintf(out, "%v: %v (after %d bytes)\n", client, err, st.Bytes)
			return
		}
		fmt.Fprintf(out, "%v: sent %d bytes with %v; %s\n", client, st.Bytes, st.Method, describeStats(st))
	}}
	return srv.Serve(ctx, ln)
}

// sendOnce connects to addr and sends the file at path, as the cheat
// sheet's child process does.
func sendOnce(ctx context.Context, addr, path string, copier sendfile.Copier, out io.Writer) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	st, err := copier.Send(conn, f)
	// Closing sends the FIN that tells the receiver the file is complete.
	err = errors.Join(err, conn.Close())
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "sent %d bytes to %s with %v; %s\n", st.Bytes, addr, st.Method, describeStats(st))
	return nil
}
