package sendfile

import (
	"fmt"
	"net"
	"os"
	"syscall"
)

// Send writes all of src, from its first byte, to conn and returns what it
// took. conn must have a descriptor (a *net.TCPConn or *net.UnixConn, not a
// TLS connection). Sendfile calls sendfile(2) on the socket through its
// RawConn, so the socket stays non-blocking and conn's write deadline still
// applies; IOCopy calls io.Copy, which does the same inside the standard
// library; ReadWrite writes from a buffer; CopyFileRange cannot write to a
// socket and is refused.
//
// Send does not close conn: the caller closes it (or calls CloseWrite) to
// tell the peer the file is complete. A peer that goes away mid-transfer
// makes Send return an error such as ECONNRESET or EPIPE.
func (c Copier) Send(conn net.Conn, src *os.File) (Stats, error) {
	st := Stats{Method: c.Method}
	if c.Method == CopyFileRange {
		return st, fmt.Errorf("sendfile: send %q to %v: copy_file_range writes only to regular files", src.Name(), conn.RemoteAddr())
	}
	sc, ok := conn.(syscall.Conn)
	if !ok {
		return st, fmt.Errorf("sendfile: send %q: connection %T has no file descriptor", src.Name(), conn)
	}
	out, err := sc.SyscallConn()
	if err != nil {
		return st, fmt.Errorf("sendfile: send %q to %v: %w", src.Name(), conn.RemoteAddr(), err)
	}
	st, err = c.transfer(out, conn, src)
	if err != nil {
		return st, fmt.Errorf("sendfile: send %q to %v with %v: %w", src.Name(), conn.RemoteAddr(), st.Method, err)
	}
	return st, nil
}
