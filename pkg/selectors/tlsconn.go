package selectors

import (
	"io"
	"net"
	"sync"
	"time"
)

// cipherConn is the memory transport between one client's socket, owned
// by the selector loop, and its tls.Conn, run by a goroutine: the loop
// appends the ciphertext it reads to in and writes out to the socket;
// the tls.Conn reads in and appends to out through the net.Conn methods.
// It plays the part of OpenSSL's memory BIO pair.
//
// Both buffers are bounded by max: the loop stops reading the socket while
// in is full, and the tls.Conn's Write waits while out is full, so a
// client that does not read its echo stalls its own goroutine and then its
// own socket, and nothing else.
type cipherConn struct {
	fd      int
	peer    net.Addr
	local   net.Addr
	max     int
	note    func(int)         // reports out's length, for the server's Stats
	notify  func(*cipherConn) // tells the loop this conn's state changed; called with mu held
	handler Handler           // the conn's Selector data, kept while it is not registered

	mu      sync.Mutex
	cond    *sync.Cond // signalled whenever in grows, out shrinks or a side closes
	in      []byte     // ciphertext from the client, not yet consumed by TLS
	inEOF   bool       // the client's EOF, or the server stopping: TLS sees EOF after in
	out     []byte     // ciphertext for the client, not yet written to the socket
	tlsDone bool       // the TLS side closed: once out is written, the socket closes
	dead    bool       // the socket is closed: the TLS side's calls fail
}

func newCipherConn(fd int, local, peer net.Addr, max int, note func(int), notify func(*cipherConn)) *cipherConn {
	c := &cipherConn{fd: fd, local: local, peer: peer, max: max, note: note, notify: notify}
	c.cond = sync.NewCond(&c.mu)
	return c
}

// The net.Conn side, called by the tls.Conn's goroutine.

func (c *cipherConn) Read(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for len(c.in) == 0 && !c.inEOF && !c.dead {
		c.cond.Wait()
	}
	if c.dead {
		return 0, net.ErrClosed
	}
	if len(c.in) == 0 {
		return 0, io.EOF
	}
	wasFull := len(c.in) >= c.max
	n := copy(p, c.in)
	c.in = c.in[:copy(c.in, c.in[n:])]
	if wasFull {
		c.notify(c) // room again: the loop may read the socket
	}
	return n, nil
}

func (c *cipherConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	// Wait for room, but let a write into an empty buffer through whole:
	// a TLS record is at most about 16 KiB, well under max.
	for len(c.out) > 0 && len(c.out)+len(p) > c.max && !c.dead {
		c.cond.Wait()
	}
	if c.dead || c.tlsDone {
		return 0, net.ErrClosed
	}
	wasEmpty := len(c.out) == 0
	c.out = append(c.out, p...)
	c.note(len(c.out))
	if wasEmpty {
		c.notify(c) // the loop must now wait for the socket to be writable
	}
	return len(p), nil
}

func (c *cipherConn) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.tlsDone {
		c.tlsDone = true
		c.notify(c)
	}
	return nil
}

func (c *cipherConn) LocalAddr() net.Addr  { return c.local }
func (c *cipherConn) RemoteAddr() net.Addr { return c.peer }

// Deadlines are ignored. crypto/tls sets them only around close_notify,
// and a connection stuck there is ended by the loop instead: kill fails
// any Read or Write that waits.
func (c *cipherConn) SetDeadline(time.Time) error      { return nil }
func (c *cipherConn) SetReadDeadline(time.Time) error  { return nil }
func (c *cipherConn) SetWriteDeadline(time.Time) error { return nil }

// kill marks the socket closed and wakes the TLS goroutine so that it
// fails and exits. The loop closes the descriptor itself.
func (c *cipherConn) kill() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dead = true
	c.cond.Broadcast()
}
