package sheet

import (
	"context"
	"errors"
	"net"
	"syscall"

	"golang.org/x/sys/unix"
)

// DualStack listens on [::]:port for IPv4 and IPv6 clients alike: Control
// runs before bind, and clears the IPV6_V6ONLY that "tcp6" set. IPv4
// peers then show as ::ffff:a.b.c.d.
//
// Calls: unix.SetsockoptInt
// Python: socket.IPV6_V6ONLY
func DualStack(ctx context.Context, port string) (net.Listener, error) {
	lc := net.ListenConfig{Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		err := c.Control(func(fd uintptr) {
			serr = unix.SetsockoptInt(int(fd), unix.IPPROTO_IPV6, unix.IPV6_V6ONLY, 0)
		})
		return errors.Join(err, serr)
	}}
	return lc.Listen(ctx, "tcp6", net.JoinHostPort("::", port))
}
