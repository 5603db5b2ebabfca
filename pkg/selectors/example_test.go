package selectors_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"

	"github.com/sockbook/sockbook/pkg/selectors"
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

// nc plays the cheat sheet's "nc localhost 5566" session: it connects to
// addr, types line and prints what comes back.
func nc(addr, line string) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		fmt.Println(err)
		return
	}
	say(c, line)
}

// say types line on c, prints the line that comes back and hangs up.
func say(c net.Conn, line string) {
	defer c.Close()
	fmt.Fprint(c, line)
	reply, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(reply)
}

// An echo server on the default Selector (epoll on Linux), and two
// clients.
//
// Recipe: selectors
func ExampleNewEchoServer() {
	s, err := selectors.NewEchoServer("127.0.0.1:0", nil, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()

	nc(s.Addr().String(), "Hello\n")
	nc(s.Addr().String(), "Hi\n")

	stop()
	fmt.Println("server stopped:", <-done)
	// Output:
	// Hello
	// Hi
	// server stopped: <nil>
}

// sClient plays "openssl s_client -connect": it connects over TLS,
// trusting only roots, types line and prints what comes back.
func sClient(addr string, roots *x509.CertPool, line string) {
	c, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: roots})
	if err != nil {
		fmt.Println(err)
		return
	}
	say(c, line)
}

// A TLS echo server whose sockets a Selector drives, with a certificate
// made on the spot, and two clients.
//
// Recipe: nonblocking-tls
func ExampleNewTLSEchoServer() {
	cert, err := selectors.SelfSigned("127.0.0.1")
	if err != nil {
		fmt.Println(err)
		return
	}
	roots := x509.NewCertPool()
	roots.AddCert(cert.Leaf)

	cfg := &tls.Config{Certificates: []tls.Certificate{cert}}
	s, err := selectors.NewTLSEchoServer("127.0.0.1:0", cfg, nil, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()

	sClient(s.Addr().String(), roots, "Hello TLS\n")
	sClient(s.Addr().String(), roots, "Hello SSL\n")

	stop()
	fmt.Println("server stopped:", <-done)
	// Output:
	// Hello TLS
	// Hello SSL
	// server stopped: <nil>
}

// The Go way: a goroutine per connection over a net.Listener, with
// crypto/tls blocking as it likes while the runtime's poller waits.
func ExampleServeTLS() {
	cert, err := selectors.SelfSigned("127.0.0.1")
	if err != nil {
		fmt.Println(err)
		return
	}
	roots := x509.NewCertPool()
	roots.AddCert(cert.Leaf)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- selectors.ServeTLS(ctx, ln, &tls.Config{Certificates: []tls.Certificate{cert}}, nil)
	}()

	sClient(ln.Addr().String(), roots, "Hello TLS\n")

	stop()
	fmt.Println("server stopped:", <-done)
	// Output:
	// Hello TLS
	// server stopped: <nil>
}
