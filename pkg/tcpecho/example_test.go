package tcpecho_test

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strconv"

	"github.com/sockbook/sockbook/internal/echotest"
	"github.com/sockbook/sockbook/pkg/echo"
	"github.com/sockbook/sockbook/pkg/tcpecho"
)

// nc plays the cheat sheet's "nc localhost 5566": it dials address over
// network, sends line and prints the echo.
func nc(network, address, line string) {
	conn, err := net.Dial(network, address)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer conn.Close()
	reply, err := echo.Exchange(conn, []byte(line))
	fmt.Printf("%s%v\n", reply, err)
}

// The cheat sheet's server listens on localhost:5566. Here port 0 lets the
// kernel pick a free port.
//
// Recipe: tcp-echo
func ExampleListen() {
	ln, err := tcpecho.Listen(context.Background(), "tcp4", "localhost:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	stop := echotest.Start((&tcpecho.Server{}).Serve, ln)

	nc("tcp4", ln.Addr().String(), "Hello World\n")
	fmt.Println("server stopped:", stop())
	// Output:
	// Hello World
	// <nil>
	// server stopped: <nil>
}

// Recipe: tcp-echo-ipv6
func ExampleListen_ipv6() {
	ln, err := tcpecho.Listen(context.Background(), "tcp6", "[::1]:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	stop := echotest.Start((&tcpecho.Server{}).Serve, ln)

	nc("tcp6", ln.Addr().String(), "Hello IPv6\n")
	fmt.Println("server stopped:", stop())
	// Output:
	// Hello IPv6
	// <nil>
	// server stopped: <nil>
}

// One IPv6 socket with IPV6_V6ONLY off serves an IPv4 and an IPv6 client.
// The IPv4 client shows up as the IPv4-mapped address ::ffff:127.0.0.1, as
// in the cheat sheet's getpeername() output. Ports are left out because
// the kernel picks them afresh on every run.
//
// Recipe: dual-stack
func ExampleListenDualStack() {
	ln, err := tcpecho.ListenDualStack(context.Background(), 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	s := &tcpecho.Server{
		OnConnect: func(peer netip.AddrPort) { fmt.Println("peer", peer.Addr()) },
	}
	stop := echotest.Start(s.Serve, ln)

	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	nc("tcp4", net.JoinHostPort("127.0.0.1", port), "Hello IPv4\n")
	nc("tcp6", net.JoinHostPort("::1", port), "Hello IPv6\n")
	fmt.Println("server stopped:", stop())
	// Output:
	// peer ::ffff:127.0.0.1
	// Hello IPv4
	// <nil>
	// peer ::1
	// Hello IPv6
	// <nil>
	// server stopped: <nil>
}
