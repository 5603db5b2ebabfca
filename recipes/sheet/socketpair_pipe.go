package sheet

import (
	"io"

	"github.com/sockbook/sockbook/pkg/socketpair"
)

// SocketpairPipe uses a socket pair where a pipe would go, but both ends
// write: msg goes one way, and the far end's echo comes back on the same
// pair.
//
// Calls: socketpair.Pair
// Python: socket.socketpair
func SocketpairPipe(msg []byte) ([]byte, error) {
	near, far, err := socketpair.Pair()
	if err != nil {
		return nil, err
	}
	defer near.Close()
	go func() { io.Copy(far, far); far.Close() }()
	if _, err := near.Write(msg); err != nil {
		return nil, err
	}
	reply := make([]byte, len(msg))
	_, err = io.ReadFull(near, reply)
	return reply, err
}
