package tcpecho_test

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strconv"

	"github.com/sockbook/sockbook/pkg/echo"
	"github.com/sockbook/sockbook/pkg/tcpecho"
)

// The cheat sheet's server listens on localhost:5566 and is tried with
// "nc localhost 5566". Here port 0 lets the kernel pick a free port, and
// echo.Exchange plays the part of nc.
//
// Recipe: tcp-echo
func ExampleListen() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ln, err := tcpecho.Listen(ctx, "tcp4", "localhost:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	done := make(chan error, 1)
	go func() { done <- (&tcpecho.Server{}).Serve(ctx, ln) }()

	conn, err := net.Dial("tcp4", ln.Addr().String())
	if err != nil {
		fmt.Println(err)
		return
	}
	reply, err := echo.Exchange(conn, []byte("Hello World\n"))
	conn.Close()
	fmt.Printf("%s%v\n", reply, err)

	cancel()
	fmt.Println("server stopped:", <-done)
	// Output:
	// Hello World
	// <nil>
	// server stopped: <nil>
}

// Recipe: tcp-echo-ipv6
func ExampleListen_ipv6() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ln, err := tcpecho.Listen(ctx, "tcp6", "[::1]:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	done := make(chan error, 1)
	go func() { done <- (&tcpecho.Server{}).Serve(ctx, ln) }()

	conn, err := net.Dial("tcp6", ln.Addr().String())
	if err != nil {
		fmt.Println(err)
		return
	}
	reply, err := echo.Exchange(conn, []byte("Hello IPv6\n"))
	conn.Close()
	fmt.Printf("%s%v\n", reply, err)

	cancel()
	fmt.Println("server stopped:", <-done)
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
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ln, err := tcpecho.ListenDualStack(ctx, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	done := make(chan error, 1)
	go func() {
		s := &tcpecho.Server{
			OnConnect: func(peer netip.AddrPort) { fmt.Println("peer", peer.Addr()) },
		}
		done <- s.Serve(ctx, ln)
	}()

	for _, c := range []struct{ network, host, msg string }{
		{"tcp4", "127.0.0.1", "Hello IPv4\n"},
		{"tcp6", "::1", "Hello IPv6\n"},
	} {
		conn, err := net.Dial(c.network, net.JoinHostPort(c.host, port))
		if err != nil {
			fmt.Println(err)
			return
		}
		reply, err := echo.Exchange(conn, []byte(c.msg))
		conn.Close()
		fmt.Printf("%s%v\n", reply, err)
	}

	cancel()
	fmt.Println("server stopped:", <-done)
	// Output:
	// peer ::ffff:127.0.0.1
	// Hello IPv4
	// <nil>
	// peer ::1
	// Hello IPv6
	// <nil>
	// server stopped: <nil>
}
