package eventloop

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// listenBacklog is the length of the queue of connections the kernel
// completes before the loop accepts them. The cheat sheet uses 5 or 10; a
// burst of a thousand clients overflows that, so ask for more (the kernel
// clamps it to net.core.somaxconn).
const listenBacklog = 4096

// ListenTCP resolves addr ("host:port"; "localhost:5566", "127.0.0.1:0")
// and returns a non-blocking, close-on-exec listening TCP socket bound to it,
// with SO_REUSEADDR set as in the cheat sheet, and the address it is bound
// to (with the port the kernel chose when addr's port is 0).
//
// The caller owns the descriptor and must close it with unix.Close.
func ListenTCP(addr string) (fd int, bound *net.TCPAddr, err error) {
	ta, err := net.ResolveTCPAddr("tcp", addr)
	if err != nil {
		return -1, nil, fmt.Errorf("listen %q: %w", addr, err)
	}
	sa, domain, err := sockaddr(ta)
	if err != nil {
		return -1, nil, fmt.Errorf("listen %q: %w", addr, err)
	}
	sock, err := socket(domain, unix.SOCK_STREAM)
	if err != nil {
		return -1, nil, fmt.Errorf("listen %q: %w", addr, os.NewSyscallError("socket", err))
	}
	fail := func(step string, err error) (int, *net.TCPAddr, error) {
		unix.Close(sock)
		return -1, nil, fmt.Errorf("listen %q: %w", addr, os.NewSyscallError(step, err))
	}
	if err := unix.SetsockoptInt(sock, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1); err != nil {
		return fail("setsockopt SO_REUSEADDR", err)
	}
	if err := unix.Bind(sock, sa); err != nil {
		return fail("bind", err)
	}
	if err := unix.Listen(sock, listenBacklog); err != nil {
		return fail("listen", err)
	}
	local, err := unix.Getsockname(sock)
	if err != nil {
		return fail("getsockname", err)
	}
	return sock, tcpAddr(local), nil
}

// Accept takes one pending connection from the listening socket ln and
// returns it non-blocking and close-on-exec, with the peer's address.
// When no connection is pending it returns unix.EAGAIN.
func Accept(ln int) (fd int, peer *net.TCPAddr, err error) {
	for {
		fd, sa, err := accept(ln)
		switch {
		case err == nil:
			return fd, tcpAddr(sa), nil
		case errors.Is(err, unix.EINTR), errors.Is(err, unix.ECONNABORTED):
			// A signal, or a client that reset before we got to it: neither
			// is this listener's failure.
			continue
		case errors.Is(err, unix.EAGAIN):
			return -1, nil, err
		default:
			return -1, nil, fmt.Errorf("accept on descriptor %d: %w", ln, os.NewSyscallError("accept", err))
		}
	}
}

func sockaddr(a *net.TCPAddr) (unix.Sockaddr, int, error) {
	if ip4 := a.IP.To4(); ip4 != nil || a.IP == nil {
		sa := &unix.SockaddrInet4{Port: a.Port}
		if ip4 != nil {
			copy(sa.Addr[:], ip4)
		}
		return sa, unix.AF_INET, nil
	}
	sa := &unix.SockaddrInet6{Port: a.Port}
	copy(sa.Addr[:], a.IP.To16())
	if a.Zone != "" {
		ifi, err := net.InterfaceByName(a.Zone)
		if err != nil {
			return nil, 0, fmt.Errorf("zone %q: %w", a.Zone, err)
		}
		sa.ZoneId = uint32(ifi.Index)
	}
	return sa, unix.AF_INET6, nil
}

func tcpAddr(sa unix.Sockaddr) *net.TCPAddr {
	switch sa := sa.(type) {
	case *unix.SockaddrInet4:
		return &net.TCPAddr{IP: net.IP(sa.Addr[:]).To16(), Port: sa.Port}
	case *unix.SockaddrInet6:
		a := &net.TCPAddr{IP: net.IP(sa.Addr[:]), Port: sa.Port}
		if sa.ZoneId != 0 {
			a.Zone = strconv.Itoa(int(sa.ZoneId))
		}
		return a
	}
	return &net.TCPAddr{}
}
