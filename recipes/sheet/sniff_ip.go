package sheet

import (
	"github.com/sockbook/sockbook/pkg/sniff"
	"golang.org/x/sys/unix"
)

// SniffIP reads one ICMP packet from a raw IPv4 socket, which receives
// the IP header too, and decodes that header. Raw sockets need root or
// CAP_NET_RAW.
//
// Calls: unix.Socket, unix.Recvfrom, sniff.ParseIPv4
// Python: socket.SOCK_RAW, socket.IPPROTO_ICMP, .recvfrom
func SniffIP() (*sniff.IPv4, error) {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_RAW, unix.IPPROTO_ICMP)
	if err != nil {
		return nil, err
	}
	defer unix.Close(fd)
	buf := make([]byte, 65535)
	n, _, err := unix.Recvfrom(fd, buf, 0)
	if err != nil {
		return nil, err
	}
	return sniff.ParseIPv4(buf[:n])
}
