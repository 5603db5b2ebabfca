package sheet

import (
	"io"
	"net"
)

// UnixEcho echoes one client over a UNIX domain stream socket at path.
// Binding fails if path exists; closing the listener removes it.
//
// Calls: net.ListenUnix
// Python: socket.AF_UNIX, os.unlink
func UnixEcho(path string) error {
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		return err
	}
	defer ln.Close()
	conn, err := ln.AcceptUnix()
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = io.Copy(conn, conn)
	return err
}
