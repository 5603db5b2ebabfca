// Command gnetecho is the outside anchor of the echo benchmark: a TCP echo
// server on gnet v2, an event-loop networking library for Go that runs its
// own epoll loops instead of the runtime's poller.
//
// It prints "listening on tcp ADDR" first, as every sockbook server does,
// so the benchmark can start it like the others, and it stops on SIGINT or
// SIGTERM.
//
//	gnetecho -addr 127.0.0.1:0 -loops 1
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/panjf2000/gnet/v2"
	"github.com/panjf2000/gnet/v2/pkg/logging"
)

// echo sends back whatever it reads and reports the bound address once the
// engine is up.
type echo struct {
	gnet.BuiltinEventEngine
	addr   string
	engine chan gnet.Engine // receives the engine once it runs, to stop it
}

// OnBoot runs once the listener is open, so announcing the address here
// means a client that reads it can connect at once.
func (e *echo) OnBoot(eng gnet.Engine) gnet.Action {
	e.engine <- eng
	fmt.Printf("listening on tcp %s\n", e.addr)
	return gnet.None
}

func (e *echo) OnTraffic(c gnet.Conn) gnet.Action {
	// Next(-1) hands over every buffered byte without copying; Write
	// copies it to the outbound buffer or straight to the socket.
	buf, _ := c.Next(-1)
	if _, err := c.Write(buf); err != nil {
		return gnet.Close
	}
	return gnet.None
}

func main() {
	addr := flag.String("addr", "127.0.0.1:5566", "address to listen on; port 0 picks a free one")
	loops := flag.Int("loops", 1, "event loops (one per core the server may use)")
	flag.Parse()
	if err := run(*addr, *loops); err != nil {
		fmt.Fprintln(os.Stderr, "gnetecho:", err)
		os.Exit(1)
	}
}

func run(addr string, loops int) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	// gnet binds inside Run and does not say which port port 0 got, so
	// reserve the address here and hand gnet the concrete one.
	bound, err := resolve(addr)
	if err != nil {
		return err
	}
	h := &echo{addr: bound, engine: make(chan gnet.Engine, 1)}
	// gnet's default logger writes to stdout, whose first line must be
	// the address; warnings and errors go to stderr instead.
	quiet := stderrLogger{log.New(os.Stderr, "gnetecho: ", 0)}
	logging.SetDefaultLoggerAndFlusher(quiet, func() error { return nil })
	done := make(chan error, 1)
	go func() {
		done <- gnet.Run(h, "tcp://"+bound,
			gnet.WithNumEventLoop(loops),
			gnet.WithReusePort(true),
			gnet.WithLogger(quiet))
	}()
	var eng gnet.Engine
	select {
	case err := <-done:
		return err
	case eng = <-h.engine:
	}
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	if err := eng.Stop(context.Background()); err != nil {
		return fmt.Errorf("stop %s: %w", bound, err)
	}
	return <-done
}

// resolve turns addr into a concrete address: a free port is found by
// binding port 0 and letting go of it again. Another process could take the
// port in between, which on a benchmark machine nobody else binds is not a
// concern.
func resolve(addr string) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("reserve %s: %w", addr, err)
	}
	bound := ln.Addr().String()
	if err := ln.Close(); err != nil {
		return "", fmt.Errorf("release %s: %w", bound, err)
	}
	return bound, nil
}

// stderrLogger is a gnet logger that drops debug and info messages and
// prints the rest on stderr.
type stderrLogger struct{ l *log.Logger }

func (stderrLogger) Debugf(string, ...any)          {}
func (stderrLogger) Infof(string, ...any)           {}
func (s stderrLogger) Warnf(f string, args ...any)  { s.l.Printf("warning: "+f, args...) }
func (s stderrLogger) Errorf(f string, args ...any) { s.l.Printf("error: "+f, args...) }
func (s stderrLogger) Fatalf(f string, args ...any) { s.l.Fatalf(f, args...) }
