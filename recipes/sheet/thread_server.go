package sheet

import (
	"io"
	"net"
)

// ThreadServer serves each client in its own goroutine, Go's thread per
// client: a blocking read parks only that goroutine, and the runtime
// waits for all of them with one epoll (or kqueue).
//
// Calls: net.Listen
// Python: threading.Thread
func ThreadServer(addr string) error {
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
		go func() {
			defer conn.Close()
			io.Copy(conn, conn)
		}()
	}
}
