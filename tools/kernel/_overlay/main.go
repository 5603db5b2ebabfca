package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/sockbook/sockbook/tools/jupyter"
	"github.com/sockbook/sockbook/tools/kernel/capture"
	"github.com/sockbook/sockbook/tools/kernel/docs"
	"github.com/sockbook/sockbook/tools/kernel/gokernel"
	"github.com/sockbook/sockbook/tools/kernel/imports"
	"github.com/sockbook/sockbook/tools/kernel/session"
)

// The sockbook kernel: sockbook-kernel CONNECTION_FILE, as Jupyter starts
// it from the kernelspec.
func main() {
	site := flag.String("site", "http://localhost:8000/", "`URL` of the tutorial site, for the Help menu")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: sockbook-kernel [-site URL] CONNECTION_FILE")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *site); err != nil {
		fmt.Fprintln(os.Stderr, "sockbook-kernel:", err)
		os.Exit(1)
	}
}

// run serves the kernel described by connectionFile until a shutdown
// request or SIGTERM.
func run(connectionFile, site string) error {
	b, err := os.ReadFile(connectionFile)
	if err != nil {
		return err
	}
	var info jupyter.ConnectionInfo
	if err := json.Unmarshal(b, &info); err != nil {
		return fmt.Errorf("connection file %s: %w", connectionFile, err)
	}

	// Output goes to whichever cell runs, or ran last; it is captured
	// from the start, before the server exists to take it.
	var srv *jupyter.Server
	ready := make(chan struct{})
	out, err := capture.Start(capture.Descriptors, func(stream, text string) {
		<-ready
		srv.Stream(stream, text)
	})
	if err != nil {
		return err
	}
	defer out.Close()
	log := slog.New(slog.NewTextHandler(out.Original(), nil))

	sess, err := session.New(session.Options{Log: out.Original()})
	if err != nil {
		return err
	}
	defer sess.Close()
	index, err := docs.Parse(imports.DocsJSON)
	if err != nil {
		log.Warn("no documentation for inspect", "err", err)
		index = nil
	}
	disp := newDisplay(sess)
	gk := gokernel.New(sess, gokernel.Config{
		Docs:    index,
		Render:  disp.render,
		Flush:   out.Flush,
		SiteURL: site,
	})
	srv = jupyter.NewServer(info, gk, log)
	disp.publish = srv.Display
	close(ready)

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	// Jupyter interrupts a kernel whose spec says "signal" with SIGINT;
	// ours says "message", but a SIGINT from a terminal or an older
	// client means the same.
	interrupts := make(chan os.Signal, 1)
	signal.Notify(interrupts, os.Interrupt)
	defer signal.Stop(interrupts)
	go func() {
		for range interrupts {
			gk.Interrupt()
		}
	}()

	err = srv.Serve(ctx)
	if errors.Is(err, jupyter.ErrShutdown) || errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}
