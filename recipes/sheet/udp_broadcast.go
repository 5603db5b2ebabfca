package sheet

import (
	"context"
	"errors"
	"net"
	"syscall"

	"golang.org/x/sys/unix"
)

// UDPBroadcast sends msg to every host of the local network on port. The
// kernel refuses a broadcast destination until SO_BROADCAST is set.
//
// Calls: unix.SetsockoptInt
// Python: socket.SO_BROADCAST, "<broadcast>"
func UDPBroadcast(ctx context.Context, port int, msg []byte) error {
	lc := net.ListenConfig{Control: func(_, _ string, c syscall.RawConn) error {
		var serr error
		err := c.Control(func(fd uintptr) {
			serr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_BROADCAST, 1)
		})
		return errors.Join(err, serr)
	}}
	pc, err := lc.ListenPacket(ctx, "udp4", ":0")
	if err != nil {
		return err
	}
	defer pc.Close()
	_, err = pc.WriteTo(msg, &net.UDPAddr{IP: net.IPv4bcast, Port: port})
	return err
}
