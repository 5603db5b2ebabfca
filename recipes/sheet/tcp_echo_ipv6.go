package sheet

import (
	"io"
	"net"
)

// TCPEchoIPv6 echoes one client over IPv6: "tcp6" makes an AF_INET6
// socket, and the address is written in brackets with its port.
//
// Calls: net.Listen, net.JoinHostPort
// Python: socket.AF_INET6
func TCPEchoIPv6(port string) error {
	ln, err := net.Listen("tcp6", net.JoinHostPort("::1", port))
	if err != nil {
		return err
	}
	defer ln.Close()
	conn, err := ln.Accept()
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = io.Copy(conn, conn)
	return err
}
