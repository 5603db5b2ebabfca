package echotest

import (
	"bufio"
	"context"
	"fmt"
	"net"
)

// Start runs serve(ctx, ln) in the background, for an Example: serve is
// a server's Serve method, ln its listener or packet connection. stop
// ends ctx and returns what Serve returned.
func Start[L any](serve func(context.Context, L) error, ln L) (stop func() error) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, ln) }()
	return func() error {
		cancel()
		return <-done
	}
}

// Demo is the body of the event loops' Examples: it serves srv on a
// loopback port and, once per line, connects with dial (nc, or openssl
// s_client for TLS), types the line and prints what comes back; then it
// stops srv and prints Serve's result. Errors are printed, so that they
// show in the Example's output.
func Demo(srv Server, dial func(addr string) (net.Conn, error), lines ...string) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	stop := Start(srv.Serve, ln)
	for _, line := range lines {
		c, err := dial(ln.Addr().String())
		if err != nil {
			fmt.Println(err)
			break
		}
		fmt.Fprint(c, line)
		reply, err := bufio.NewReader(c).ReadString('\n')
		c.Close()
		if err != nil {
			fmt.Println(err)
			break
		}
		fmt.Print(reply)
	}
	fmt.Println("server stopped:", stop())
}
