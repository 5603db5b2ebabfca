package eventloop_test

// Examples run wherever the tests run, and epoll exists only on Linux,
// where kqueue does not: these two are Linux's. example_bsd_test.go shows
// kqueue serving on the systems that have it.

import (
	"context"
	"errors"
	"fmt"

	"github.com/sockbook/sockbook/pkg/eventloop"
)

// An echo server whose loop waits with epoll(7), and two clients.
//
// Recipe: epoll-server
func ExampleListen_epoll() {
	s, err := eventloop.Listen(eventloop.Epoll, "127.0.0.1:0", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()

	nc(s.Addr().String(), "Hello epoll\n")
	nc(s.Addr().String(), "Hello Awesome Python\n")

	stop()
	fmt.Println("server stopped:", <-done)
	// Output:
	// Hello epoll
	// Hello Awesome Python
	// server stopped: <nil>
}

// On Linux there is no kqueue: Listen says so, as the cheat sheet's script
// printed "Not support kqueue", with an error a program can test for.
//
// Recipe: kqueue-server
func ExampleListen_kqueue() {
	_, err := eventloop.Listen(eventloop.Kqueue, "localhost:5566", nil)
	fmt.Println(err)
	fmt.Println("unsupported:", errors.Is(err, errors.ErrUnsupported))
	// Output:
	// eventloop: kqueue is not supported on linux: unsupported operation
	// unsupported: true
}
