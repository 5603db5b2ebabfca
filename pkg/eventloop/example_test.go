package eventloop_test

import (
	"bufio"
	"context"
	"fmt"
	"net"

	"github.com/sockbook/sockbook/pkg/eventloop"
)

// demo serves s on a loopback port, plays the cheat sheet's
// "nc localhost 5566" once per line (connect, type the line, print what
// comes back), then stops s and prints Serve's result.
func demo(s *eventloop.Server, lines ...string) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	for _, line := range lines {
		c, err := net.Dial("tcp", ln.Addr().String())
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
	stop()
	fmt.Println("server stopped:", <-done)
}

// An echo server whose loop waits with select(2), and two clients.
//
// Recipe: select-server
func ExampleServer_select() {
	demo(&eventloop.Server{Mechanism: eventloop.Select}, "Hello\n", "Ker Ker\n")
	// Output:
	// Hello
	// Ker Ker
	// server stopped: <nil>
}

// An echo server whose loop waits with poll(2), and two clients.
//
// Recipe: poll-server
func ExampleServer_poll() {
	demo(&eventloop.Server{Mechanism: eventloop.Poll}, "Hello poll\n", "Hello Python\n")
	// Output:
	// Hello poll
	// Hello Python
	// server stopped: <nil>
}
