package poller_test

import (
	"fmt"

	"github.com/sockbook/sockbook/pkg/poller"
	"golang.org/x/sys/unix"
)

// Watch one end of a socket pair, and see it turn readable once the other
// end writes. Every mechanism is used the same way; poll exists
// everywhere.
func Example() {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer unix.Close(fds[0])
	defer unix.Close(fds[1])
	p := poller.NewPoll()
	defer p.Close()

	p.Add(fds[0], poller.Read)
	unix.Write(fds[1], []byte("ping"))
	ready, err := p.Wait(nil, -1)
	for _, ev := range ready {
		fmt.Println(p.Name(), "says the left end is ready to", ev.Events)
	}
	fmt.Println(err)
	p.Remove(fds[0]) // before closing it
	// Output:
	// poll says the left end is ready to read
	// <nil>
}
