package sheet

import (
	"net"

	"github.com/sockbook/sockbook/pkg/sniff"
)

// SniffTCP reads one TCP segment through Go's raw IP socket: "ip4:tcp" is
// socket(AF_INET, SOCK_RAW, IPPROTO_TCP), and its reads drop the IPv4
// header, leaving the TCP header first.
//
// Calls: net.ListenIP, sniff.ParseTCP
// Python: socket.IPPROTO_TCP, .recvfrom
func SniffTCP() (*sniff.TCP, net.Addr, error) {
	conn, err := net.ListenIP("ip4:tcp", &net.IPAddr{IP: net.IPv4zero})
	if err != nil {
		return nil, nil, err
	}
	defer conn.Close()
	buf := make([]byte, 65535)
	n, from, err := conn.ReadFrom(buf)
	if err != nil {
		return nil, nil, err
	}
	seg, err := sniff.ParseTCP(buf[:n])
	return seg, from, err
}
