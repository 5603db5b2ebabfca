package socketpair

import (
	"fmt"
	"net"
	"os"
)

// Pair returns the two ends of a new pair of connected Unix stream
// sockets. What is written to one end is read from the other.
func Pair() (net.Conn, net.Conn, error) {
	fa, fb, err := files()
	if err != nil {
		return nil, nil, err
	}
	a, err := fileConn(fa)
	if err != nil {
		fb.Close()
		return nil, nil, err
	}
	b, err := fileConn(fb)
	if err != nil {
		a.Close()
		return nil, nil, err
	}
	return a, b, nil
}

// files creates a socketpair and returns its ends as files. They are
// close-on-exec: a child that should inherit one gets it through
// exec.Cmd.ExtraFiles, which clears the flag on the child's copy only.
func files() (*os.File, *os.File, error) {
	fds, err := socketpair()
	if err != nil {
		return nil, nil, fmt.Errorf("socketpair: %w", os.NewSyscallError("socketpair", err))
	}
	return os.NewFile(uintptr(fds[0]), "socketpair end 0"), os.NewFile(uintptr(fds[1]), "socketpair end 1"), nil
}

// fileConn turns f into a net.Conn and closes f: net.FileConn works on a
// duplicate of the descriptor.
func fileConn(f *os.File) (net.Conn, error) {
	c, err := net.FileConn(f)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("socketpair: %s: %w", f.Name(), err)
	}
	return c, nil
}
