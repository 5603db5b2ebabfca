package eventloop_test

// Examples run wherever the tests run, and epoll exists only on Linux,
// where kqueue does not: these two are Linux's. example_bsd_test.go shows
// kqueue serving on the systems that have it.

import (
	"errors"
	"fmt"

	"github.com/sockbook/sockbook/pkg/eventloop"
)

// An echo server whose loop waits with epoll(7), and two clients.
//
// Recipe: epoll-server
func ExampleServer_epoll() {
	demo(&eventloop.Server{Mechanism: eventloop.Epoll}, "Hello epoll\n", "Hello Awesome Python\n")
	// Output:
	// Hello epoll
	// Hello Awesome Python
	// server stopped: <nil>
}

// On Linux there is no kqueue: a Server asked for it fails to start, as
// the cheat sheet's script printed "Not support kqueue", with an error a
// program can test for before serving.
//
// Recipe: kqueue-server
func ExampleMechanism_kqueue() {
	err := eventloop.Kqueue.Available()
	fmt.Println(err)
	fmt.Println("unsupported:", errors.Is(err, errors.ErrUnsupported))
	// Output:
	// poller: kqueue is not supported on linux: unsupported operation
	// unsupported: true
}
