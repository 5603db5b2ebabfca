//go:build linux

package sheet

import (
	"net"
	"os"
	"os/exec"

	"golang.org/x/sys/unix"
)

// SocketpairDuplex starts program with one end of a socket pair as its
// file descriptor 3 and returns the other end: parent and child can both
// send and receive on it. Go does not fork without exec.
//
// Calls: unix.Socketpair, exec.Command
// Python: socket.socketpair, os.fork
func SocketpairDuplex(program string) (net.Conn, *exec.Cmd, error) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, nil, err
	}
	mine, theirs := os.NewFile(uintptr(fds[0]), "parent"), os.NewFile(uintptr(fds[1]), "child")
	defer mine.Close()
	defer theirs.Close()
	cmd := exec.Command(program)
	cmd.ExtraFiles = []*os.File{theirs}
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}
	conn, err := net.FileConn(mine) // a duplicate: mine can be closed
	return conn, cmd, err
}
