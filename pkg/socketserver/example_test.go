package socketserver_test

import (
	"context"
	"fmt"
	"io"
	"net"

	"github.com/sockbook/sockbook/internal/echotest"
	"github.com/sockbook/sockbook/pkg/socketserver"
)

// A handler in the style of the cheat sheet's BaseRequestHandler: read
// what the client sent, say who it was, send it back. The client's port
// changes from run to run, so only its host is printed.
//
// Recipe: socketserver-tcp
func ExampleServer() {
	ln, err := net.Listen("tcp4", "localhost:0")
	if err != nil {
		fmt.Println(err)
		return
	}

	handler := socketserver.HandlerFunc(func(ctx context.Context, conn net.Conn) {
		data := make([]byte, 1024)
		n, err := conn.Read(data)
		if err != nil {
			return
		}
		host, _, _ := net.SplitHostPort(conn.RemoteAddr().String())
		fmt.Println("client", host)
		conn.Write(data[:n])
	})
	srv := &socketserver.Server{Handler: handler}
	stop := echotest.Start(srv.Serve, ln)

	conn, err := net.Dial("tcp4", ln.Addr().String())
	if err != nil {
		fmt.Println(err)
		return
	}
	conn.Write([]byte("Hello World\n"))
	reply, _ := io.ReadAll(conn) // the server closes after one reply
	conn.Close()
	fmt.Printf("%s", reply)
	fmt.Println("server stopped:", stop())
	// Output:
	// client 127.0.0.1
	// Hello World
	// server stopped: <nil>
}

// The datagram flavour: the handler gets the datagram and the socket to
// answer on, and replies to the address it came from.
//
// Recipe: socketserver-udp
func ExamplePacketServer() {
	pc, err := net.ListenPacket("udp4", "localhost:0")
	if err != nil {
		fmt.Println(err)
		return
	}

	handler := socketserver.PacketHandlerFunc(func(ctx context.Context, pc net.PacketConn, data []byte, from net.Addr) {
		host, _, _ := net.SplitHostPort(from.String())
		fmt.Println("client", host)
		pc.WriteTo(data, from)
	})
	srv := &socketserver.PacketServer{Handler: handler}
	stop := echotest.Start(srv.Serve, pc)

	conn, err := net.Dial("udp4", pc.LocalAddr().String())
	if err != nil {
		fmt.Println(err)
		return
	}
	conn.Write([]byte("Hello World\n"))
	reply := make([]byte, 1024)
	n, _ := conn.Read(reply)
	conn.Close()
	fmt.Printf("%s", reply[:n])
	fmt.Println("server stopped:", stop())
	// Output:
	// client 127.0.0.1
	// Hello World
	// server stopped: <nil>
}
