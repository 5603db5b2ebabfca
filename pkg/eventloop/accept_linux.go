package eventloop

import (
	"net/netip"
	"strconv"
	"unsafe"

	"golang.org/x/sys/unix"
)

// An acceptor accepts connections into memory the loop owns. unix.Accept4
// makes two allocations per call, the raw address buffer it passes to the
// kernel (which escapes through the system call) and the Sockaddr it
// converts that into; with thousands of idle clients arriving at once that
// garbage, not the clients, is most of what a loop's heap grows by. Here
// the kernel writes the address into buf and it is read out as a
// netip.AddrPort, a value.
type acceptor struct {
	buf unix.RawSockaddrAny
}

// accept takes one pending connection from ln, non-blocking and
// close-on-exec, like Accept, but returns the raw accept4 errors (EAGAIN,
// EINTR, ECONNABORTED) for the caller to sort.
func (a *acceptor) accept(ln int) (int, netip.AddrPort, error) {
	size := uint32(unsafe.Sizeof(a.buf))
	fd, _, errno := unix.Syscall6(unix.SYS_ACCEPT4, uintptr(ln),
		uintptr(unsafe.Pointer(&a.buf)), uintptr(unsafe.Pointer(&size)),
		unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0, 0)
	if errno != 0 {
		return -1, netip.AddrPort{}, errno
	}
	return int(fd), a.peer(), nil
}

// peer decodes the address accept4 wrote. Ports are in network byte
// order in both families' structures.
func (a *acceptor) peer() netip.AddrPort {
	switch a.buf.Addr.Family {
	case unix.AF_INET:
		sa := (*unix.RawSockaddrInet4)(unsafe.Pointer(&a.buf))
		return netip.AddrPortFrom(netip.AddrFrom4(sa.Addr), ntohs(sa.Port))
	case unix.AF_INET6:
		sa := (*unix.RawSockaddrInet6)(unsafe.Pointer(&a.buf))
		// A dual-stack listener sees IPv4 clients as ::ffff:a.b.c.d;
		// unmapped, they print as Accept's net.TCPAddr prints them.
		ip := netip.AddrFrom16(sa.Addr).Unmap()
		if sa.Scope_id != 0 {
			// Only link-local peers have a scope; naming it by index, as
			// Accept does, costs a string for them alone.
			ip = ip.WithZone(strconv.FormatUint(uint64(sa.Scope_id), 10))
		}
		return netip.AddrPortFrom(ip, ntohs(sa.Port))
	}
	return netip.AddrPort{}
}

// ntohs converts a port as the kernel stores it, big-endian, to a number.
func ntohs(p uint16) uint16 {
	b := (*[2]byte)(unsafe.Pointer(&p))
	return uint16(b[0])<<8 | uint16(b[1])
}
