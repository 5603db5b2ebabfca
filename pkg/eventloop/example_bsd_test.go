//go:build darwin || freebsd || netbsd || openbsd || dragonfly

package eventloop_test

import (
	"github.com/sockbook/sockbook/pkg/eventloop"
)

// An echo server whose loop waits with kqueue(2), and two clients.
func ExampleServer_kqueueServer() {
	demo(&eventloop.Server{Mechanism: eventloop.Kqueue}, "Hello kqueue\n", "Hello Python\n")
	// Output:
	// Hello kqueue
	// Hello Python
	// server stopped: <nil>
}
