//go:build darwin || freebsd || netbsd || openbsd || dragonfly

package eventloop_test

import (
	"context"
	"fmt"

	"github.com/sockbook/sockbook/pkg/eventloop"
)

// An echo server whose loop waits with kqueue(2), and two clients.
func ExampleListen_kqueueServer() {
	s, err := eventloop.Listen(eventloop.Kqueue, "127.0.0.1:0", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()

	nc(s.Addr().String(), "Hello kqueue\n")
	nc(s.Addr().String(), "Hello Python\n")

	stop()
	fmt.Println("server stopped:", <-done)
	// Output:
	// Hello kqueue
	// Hello Python
	// server stopped: <nil>
}
