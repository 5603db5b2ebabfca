package eventloop_test

import (
	"bufio"
	"context"
	"fmt"
	"net"

	"github.com/sockbook/sockbook/pkg/eventloop"
)

// nc plays the cheat sheet's "nc localhost 5566" session: it connects to
// addr, types line and prints what comes back.
func nc(addr, line string) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	fmt.Fprint(c, line)
	reply, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(reply)
}

// An echo server whose loop waits with select(2), and two clients.
//
// Recipe: select-server
func ExampleListen_select() {
	s, err := eventloop.Listen(eventloop.Select, "127.0.0.1:0", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()

	nc(s.Addr().String(), "Hello\n")
	nc(s.Addr().String(), "Ker Ker\n")

	stop()
	fmt.Println("server stopped:", <-done)
	// Output:
	// Hello
	// Ker Ker
	// server stopped: <nil>
}

// An echo server whose loop waits with poll(2), and two clients.
//
// Recipe: poll-server
func ExampleListen_poll() {
	s, err := eventloop.Listen(eventloop.Poll, "127.0.0.1:0", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()

	nc(s.Addr().String(), "Hello poll\n")
	nc(s.Addr().String(), "Hello Python\n")

	stop()
	fmt.Println("server stopped:", <-done)
	// Output:
	// Hello poll
	// Hello Python
	// server stopped: <nil>
}
