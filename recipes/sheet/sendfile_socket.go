package sheet

import (
	"io"
	"net"
	"os"
)

// SendfileSocket sends the file at path to addr over TCP. io.Copy from an
// *os.File to a *net.TCPConn ends in TCPConn.ReadFrom, which calls
// sendfile(2) on Linux: the file's pages go straight to the socket.
//
// Calls: net.Dial, io.Copy
// Python: .sendfile
func SendfileSocket(addr, path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	return io.Copy(conn, f)
}
