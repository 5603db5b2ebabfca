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

// copierFlags defines -method and -chunk on fs, with the methods the
// recipe offers, and returns a function giving the Copier they select.
func copierFlags(fs *flag.FlagSet, methods, calls string) func() sendfile.Copier {
	var method sendfile.Method
	fs.TextVar(&method, "method", sendfile.Sendfile, "how to "+methods)
	chunk := fs.Int("chunk", 4096, "bytes asked of each "+calls+" call (the cheat sheet's count)")
	return func() sendfile.Copier { return sendfile.Copier{Method: method, Chunk: *chunk} }
}

func sendfileCopyFlags(fs *flag.FlagSet) runFunc {
	copier := copierFlags(fs, "copy: sendfile, copy_file_range, io.Copy or read/write", "sendfile, copy_file_range or read")
	return func(_ context.Context, files []string, out io.Writer) error {
		if len(files) != 2 {
			return usageError(fs, "sendfile-copy: want a source and a destination, got %d arguments", len(files))
		}
		st, err := copier().CopyFile(files[1], files[0])
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "copied %d bytes from %s to %s with %v; %s\n", st.Bytes, files[0], files[1], st.Method, describeStats(st))
		return nil
	}
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

func sendfileSocketFlags(fs *flag.FlagSet) runFunc {
	addr := fs.String("addr", "localhost:5566", "address to listen on, or with -send to connect to")
	send := fs.Bool("send", false, "connect to -addr and send the file once, instead of serving it")
	copier := copierFlags(fs, "send: sendfile, io.Copy or read/write", "sendfile or read")
	return func(ctx context.Context, files []string, out io.Writer) error {
		if len(files) != 1 {
			return usageError(fs, "sendfile-socket: want one file, got %d arguments", len(files))
		}
		if *send {
			return sendOnce(ctx, *addr, files[0], copier(), out)
		}
		return serveFile(ctx, *addr, files[0], copier(), out)
	}
}

// serveFile sends the file at path to every client that connects to addr.
func serveFile(ctx context.Context, addr, path string, copier sendfile.Copier, out io.Writer) error {
	// Check the file before announcing an address no one will be served on.
	if fi, err := os.Stat(path); err != nil {
		return err
	} else if !fi.Mode().IsRegular() {
		return fmt.Errorf("sendfile-socket: %s: %w", path, sendfile.ErrNotRegular)
	}
	srv := &sendfile.Server{Path: path, Copier: copier, Log: func(client net.Addr, st sendfile.Stats, err error) {
		if err != nil {
			fmt.Fprintf(out, "%v: %v (after %d bytes)\n", client, err, st.Bytes)
			return
		}
		fmt.Fprintf(out, "%v: sent %d bytes with %v; %s\n", client, st.Bytes, st.Method, describeStats(st))
	}}
	ln, err := listen(ctx, "tcp", addr)
	return serve(ctx, out, ln, err, srv)
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
