package selectors_test

import (
	"crypto/tls"
	"fmt"
	"net"

	"github.com/sockbook/sockbook/internal/echotest"
	"github.com/sockbook/sockbook/pkg/selectors"
	"github.com/sockbook/sockbook/pkg/tlsecho"
	"golang.org/x/sys/unix"
)

// Register a descriptor with data attached, and get the data back when
// it is ready.
func ExampleSelector() {
	sel, err := selectors.NewDefaultSelector()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer sel.Close()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer unix.Close(fds[0])
	defer unix.Close(fds[1])

	sel.Register(fds[0], selectors.EventRead, "the left end")
	unix.Write(fds[1], []byte("ping"))
	ready, err := sel.Select(-1)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range ready {
		fmt.Printf("%v is ready to %v\n", r.Key.Data, r.Events)
	}
	// Output:
	// the left end is ready to read
}

// An echo server on the default Selector (epoll on Linux), and two
// clients.
//
// Recipe: selectors
func ExampleEchoServer() {
	nc := func(addr string) (net.Conn, error) { return net.Dial("tcp", addr) }
	echotest.Demo(&selectors.EchoServer{}, nc, "Hello\n", "Hi\n")
	// Output:
	// Hello
	// Hi
	// server stopped: <nil>
}

// A TLS echo server whose sockets a Selector drives, with a certificate
// made on the spot, and two clients.
//
// Recipe: nonblocking-tls
func ExampleTLSEchoServer() {
	cert, err := tlsecho.NewSelfSigned(tlsecho.ECDSAP256, "127.0.0.1")
	if err != nil {
		fmt.Println(err)
		return
	}
	roots, err := tlsecho.CertPool(cert)
	if err != nil {
		fmt.Println(err)
		return
	}
	sClient := func(addr string) (net.Conn, error) {
		return tls.Dial("tcp", addr, &tls.Config{RootCAs: roots})
	}
	s := &selectors.TLSEchoServer{TLS: &tls.Config{Certificates: []tls.Certificate{cert}}}
	echotest.Demo(s, sClient, "Hello TLS\n", "Hello SSL\n")
	// Output:
	// Hello TLS
	// Hello SSL
	// server stopped: <nil>
}
