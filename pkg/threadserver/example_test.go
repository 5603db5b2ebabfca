package threadserver_test

import (
	"bufio"
	"fmt"
	"net"

	"github.com/sockbook/sockbook/internal/echotest"
	"github.com/sockbook/sockbook/pkg/threadserver"
)

// Two clients are connected at the same time, like the cheat sheet's two
// nc sessions in two terminals, and each gets its own lines back while
// the other stays open.
//
// Recipe: thread-server
func ExampleServer() {
	ln, err := net.Listen("tcp4", "localhost:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	stop := echotest.Start((&threadserver.Server{}).Serve, ln)

	bash1, err := net.Dial("tcp4", ln.Addr().String())
	if err != nil {
		fmt.Println(err)
		return
	}
	bash2, err := net.Dial("tcp4", ln.Addr().String())
	if err != nil {
		fmt.Println(err)
		return
	}
	say := func(name string, conn net.Conn, line string) {
		fmt.Fprintln(conn, line)
		reply, err := bufio.NewReader(conn).ReadString('\n')
		fmt.Printf("%s: %q %v\n", name, reply, err)
	}
	say("bash 1", bash1, "Hello")
	say("bash 2", bash2, "Ker Ker")
	say("bash 1", bash1, "still here")
	bash1.Close()
	bash2.Close()
	fmt.Println("server stopped:", stop())
	// Output:
	// bash 1: "Hello\n" <nil>
	// bash 2: "Ker Ker\n" <nil>
	// bash 1: "still here\n" <nil>
	// server stopped: <nil>
}
