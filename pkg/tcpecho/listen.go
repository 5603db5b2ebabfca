package tcpecho

import (
	"context"
	"fmt"
	"net"
	"syscall"

	"golang.org/x/sys/unix"
)

// Listen opens a TCP listener. network is "tcp4" (the tcp-echo recipe),
// "tcp6" (tcp-echo-ipv6) or "tcp"; address is host:port as for net.Listen,
// e.g. "localhost:5566" or "[::1]:5566".
func Listen(ctx context.Context, network, address string) (net.Listener, error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, network, address)
	if err != nil {
		return nil, fmt.Errorf("tcpecho: %w", err)
	}
	return ln, nil
}

// ListenDualStack opens one IPv6 listener on every address ([::]) of port
// that also accepts IPv4 clients: it switches IPV6_V6ONLY off before bind,
// whatever the system default (net.ipv6.bindv6only) says.
//
// Go's plain net.Listen("tcp", ":port") makes the same kind of socket; the
// explicit option here is the recipe's point, and it does not depend on
// that default.
func ListenDualStack(ctx context.Context, port int) (net.Listener, error) {
	lc := net.ListenConfig{Control: v6only(false)}
	ln, err := lc.Listen(ctx, "tcp6", net.JoinHostPort("::", fmt.Sprint(port)))
	if err != nil {
		return nil, fmt.Errorf("tcpecho: dual-stack listen on port %d: %w", port, err)
	}
	return ln, nil
}

// v6only returns a ListenConfig.Control function that sets IPV6_V6ONLY on
// the socket before it is bound.
func v6only(on bool) func(network, address string, c syscall.RawConn) error {
	return func(network, address string, c syscall.RawConn) error {
		var serr error
		err := c.Control(func(fd uintptr) {
			serr = unix.SetsockoptInt(int(fd), unix.IPPROTO_IPV6, unix.IPV6_V6ONLY, boolInt(on))
		})
		if err != nil {
			return err
		}
		if serr != nil {
			return fmt.Errorf("setsockopt IPV6_V6ONLY=%d on %s: %w", boolInt(on), address, serr)
		}
		return nil
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
