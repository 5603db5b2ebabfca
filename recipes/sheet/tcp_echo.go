package sheet

import (
	"io"
	"net"
)

// TCPEcho echoes what each client sends, one client after another.
// net.Listen creates the socket, sets SO_REUSEADDR, binds and listens.
//
// Calls: net.Listen, io.Copy
// Python: socket.SO_REUSEADDR, .bind, .listen, .accept
func TCPEcho(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	for {
		conn, err := ln.Accept()
		if err != nil {
			return err
		}
		io.Copy(conn, conn)
		conn.Close()
	}
}
