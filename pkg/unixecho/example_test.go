package unixecho_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"

	"github.com/sockbook/sockbook/internal/echotest"
	"github.com/sockbook/sockbook/pkg/echo"
	"github.com/sockbook/sockbook/pkg/unixecho"
)

// The cheat sheet binds ./domain.sock and talks to it with
// "nc -U ./domain.sock". A temporary directory keeps the example from
// leaving files behind.
//
// Recipe: unix-echo
func ExampleListen() {
	dir, err := os.MkdirTemp("", "unixecho")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "domain.sock")

	ln, err := unixecho.Listen(context.Background(), path)
	if err != nil {
		fmt.Println(err)
		return
	}
	stop := echotest.Start((&unixecho.Server{}).Serve, net.Listener(ln))

	conn, err := net.Dial("unix", path)
	if err != nil {
		fmt.Println(err)
		return
	}
	reply, err := echo.Exchange(conn, []byte("Hello\n"))
	conn.Close()
	fmt.Printf("%s%v\n", reply, err)
	fmt.Println("server stopped:", stop())
	_, err = os.Stat(path)
	fmt.Println("socket file removed:", os.IsNotExist(err))
	// Output:
	// Hello
	// <nil>
	// server stopped: <nil>
	// socket file removed: true
}
