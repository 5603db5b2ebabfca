package echo

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"time"
)

// Exchange sends msg over conn, closes conn's write side to say "that is
// all", and returns everything the server sends back until it closes too —
// what typing a line into nc and pressing Ctrl-D does.
//
// Sending and receiving run at the same time: a client that wrote a large
// message before reading would deadlock once both directions' socket
// buffers filled. conn must support CloseWrite, as *net.TCPConn,
// *net.UnixConn and *tls.Conn do. Exchange does not close conn.
func Exchange(conn net.Conn, msg []byte) ([]byte, error) {
	cw, ok := conn.(interface{ CloseWrite() error })
	if !ok {
		return nil, fmt.Errorf("echo: exchange over %T: connection cannot close its write side", conn)
	}
	sent := make(chan error, 1)
	go func() {
		_, err := conn.Write(msg)
		if err == nil {
			err = cw.CloseWrite()
		}
		sent <- err
	}()
	var got bytes.Buffer
	_, rerr := io.Copy(&got, conn)
	if rerr != nil {
		// The server is gone; do not wait for a write it will never read.
		conn.SetWriteDeadline(time.Unix(1, 0))
	}
	werr := <-sent
	if err := errors.Join(werr, rerr); err != nil {
		return got.Bytes(), fmt.Errorf("echo: exchange with %s: %w", conn.RemoteAddr(), err)
	}
	return got.Bytes(), nil
}
