//go:build !solution

package chat

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"sync"
)

// This scaffold compiles and fails every test. Fill it in milestone by
// milestone (README.md); the shapes below are a suggestion, not a rule.

// hub is the state every connection shares. Hold mu only to read or change
// the maps, never while writing to a socket.
type hub struct {
	mu    sync.Mutex
	users map[string]*client // by nick (milestone 1)
	// milestone 2: which room each client is in
	// milestone 5: every client, named or not, to notify at shutdown
}

// client is one connected chat user.
type client struct {
	conn *tls.Conn
	nick string
	room string      // milestone 2
	out  chan string // milestone 3: its queue, at most QueueLen lines, drained by its own writer goroutine
}

// Serve accepts chat clients on ln (a TCP listener; Serve adds TLS) and
// administrators on AdminPath until ctx ends or an administrator sends
// "shutdown". Then it tells every client, closes every connection and both
// listeners, and returns nil.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	// Milestone 1: accept on ln; for each connection, in its own goroutine,
	//   tls.Server(conn, s.TLS), HandshakeContext, send "OK welcome", then
	//   read lines and answer NICK, QUIT and ERR.
	// Milestone 2: JOIN, MSG, WHO, and the room notices, through the hub.
	// Milestone 3: a handshake deadline, the MaxLine limit, a queue and a
	//   writer goroutine per client; a full queue drops that client.
	// Milestone 4: net.Listen("unix", s.AdminPath) and its commands.
	// Milestone 5: when ctx ends or "shutdown" comes, close both listeners,
	//   send ShutdownNotice to everyone, close them, wait, return nil.
	_ = &hub{users: map[string]*client{}}
	ln.Close()
	return errors.ErrUnsupported // TODO: remove when milestone 1 is done
}
