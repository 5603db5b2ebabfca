package eventloop_test

import (
	"net"

	"github.com/sockbook/sockbook/internal/echotest"
	"github.com/sockbook/sockbook/pkg/eventloop"
)

// demo serves s on a loopback port, plays the cheat sheet's
// "nc localhost 5566" once per line (connect, type the line, print what
// comes back), then stops s and prints Serve's result.
func demo(s *eventloop.Server, lines ...string) {
	nc := func(addr string) (net.Conn, error) { return net.Dial("tcp", addr) }
	echotest.Demo(s, nc, lines...)
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
