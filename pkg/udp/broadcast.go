package udp

import (
	"context"
	"fmt"
	"net"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// SetBroadcast turns SO_BROADCAST on or off for the socket behind c. Its
// signature fits [net.ListenConfig.Control] once the network and address
// are dropped.
//
// Without SO_BROADCAST the kernel refuses to send to a broadcast address
// with EACCES. Go's net package happens to turn the option on for every UDP
// socket it creates; the broadcast recipe sets it explicitly all the same,
// because that default is not part of net's documented API.
func SetBroadcast(c syscall.RawConn, on bool) error {
	v := 0
	if on {
		v = 1
	}
	var serr error
	if err := c.Control(func(fd uintptr) {
		serr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_BROADCAST, v)
	}); err != nil {
		return err
	}
	if serr != nil {
		return fmt.Errorf("udp: set SO_BROADCAST to %d: %w", v, os.NewSyscallError("setsockopt", serr))
	}
	return nil
}

// ListenBroadcast opens a UDP socket on address with SO_BROADCAST set, so
// it may send to broadcast addresses such as 255.255.255.255 or a subnet's
// x.y.z.255. Broadcast exists only in IPv4: network must be "udp4" or
// "udp", and address is typically ":0": any local address, any port, as
// the cheat sheet binds its broadcasting socket.
func ListenBroadcast(ctx context.Context, network, address string) (*net.UDPConn, error) {
	if network != "udp4" && network != "udp" {
		return nil, fmt.Errorf("udp: broadcast network %q: want udp4 or udp", network)
	}
	lc := net.ListenConfig{Control: func(_, _ string, c syscall.RawConn) error {
		return SetBroadcast(c, true)
	}}
	pc, err := lc.ListenPacket(ctx, "udp4", address)
	if err != nil {
		return nil, fmt.Errorf("udp: broadcast socket on %q: %w", address, err)
	}
	return pc.(*net.UDPConn), nil
}
