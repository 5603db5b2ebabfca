package echotest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sockbook/sockbook/pkg/echo"
	"github.com/stretchr/testify/require"
)

// concurrentClients connects Clients clients at once, so that the server
// holds them all together, then has each send its own message and read
// it back.
func concurrentClients(t *testing.T, tg Target) {
	n := tg.Clients
	if n == 0 {
		n = 200
	}
	// Both ends of every connection may live in this process.
	RaiseFDLimit(t, uint64(2*n+256))
	s := start(t, tg, 0)
	if tg.ChildClients {
		runChildClients(t, s.addr, n)
		return
	}
	dial := tg.Dial
	if dial == nil {
		dial = dialPlain
	}
	require.NoError(t, clients(n, func(ctx context.Context) (net.Conn, error) { return dial(ctx, s.addr) }))
}

// clients connects n clients, all before any of them sends, then has each
// send a message of its own, read the echo until the server's EOF, and
// hang up. Clients hang up as they finish, so a server that serves a
// bounded number at a time still gets through them all.
func clients(n int, dial func(context.Context) (net.Conn, error)) error {
	conns := make([]net.Conn, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			// Generous: a deadline here only turns a hang into a failure.
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			c, err := dial(ctx)
			if err == nil {
				err = c.SetDeadline(time.Now().Add(60 * time.Second))
				conns[i] = c
			}
			if err != nil {
				errs[i] = fmt.Errorf("client %d of %d: dial: %w", i, n, err)
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		for _, c := range conns {
			if c != nil {
				c.Close()
			}
		}
		return err
	}
	for i, c := range conns {
		wg.Go(func() {
			defer c.Close()
			msg := bytes.Repeat(fmt.Appendf(nil, "client %04d says hello; ", i), 200)
			got, err := echo.Exchange(c, msg)
			switch {
			case err != nil:
				errs[i] = fmt.Errorf("client %d: %w", i, err)
			case !bytes.Equal(got, msg):
				errs[i] = fmt.Errorf("client %d got %d bytes, not its own %d", i, len(got), len(msg))
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// clientsEnv carries "NETWORK ADDRESS COUNT" to the child process that
// runs the clients of a Target with ChildClients.
const clientsEnv = "ECHOTEST_CLIENTS"

// ClientMain must be the first call in TestMain of a package that runs a
// Target with ChildClients. In the child process the suite starts, it runs
// the clients and exits; everywhere else it returns at once.
func ClientMain() {
	spec, ok := os.LookupEnv(clientsEnv)
	if !ok {
		return
	}
	if err := childClients(spec); err != nil {
		fmt.Fprintf(os.Stderr, "echotest: %s=%q: %v\n", clientsEnv, spec, err)
		os.Exit(1)
	}
	os.Exit(0)
}

func childClients(spec string) error {
	f := strings.Fields(spec)
	if len(f) != 3 {
		return errors.New("want network, address and count")
	}
	network, addr := f[0], f[1]
	n, err := strconv.Atoi(f[2])
	if err != nil {
		return err
	}
	err = clients(n, func(ctx context.Context) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	})
	if err != nil {
		return err
	}
	fmt.Printf("echotest: %d clients echoed\n", n)
	return nil
}

// runChildClients runs n clients of the server at addr in a child
// process.
func runChildClients(t *testing.T, addr net.Addr, n int) {
	addr = loopback(addr)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s %s %d", clientsEnv, addr.Network(), addr, n))
	out, err := cmd.Output()
	var stderr []byte
	if ee, ok := err.(*exec.ExitError); ok {
		stderr = ee.Stderr
	}
	require.NoError(t, err, "client process:\n%s", stderr)
	require.Equal(t, fmt.Sprintf("echotest: %d clients echoed\n", n), string(out),
		"the client process ran no clients: call echotest.ClientMain first in TestMain")
}
