package eventloop

import (
	"fmt"
	"net/netip"
	"os"

	"github.com/sockbook/sockbook/pkg/poller"

	"golang.org/x/sys/unix"
)

// A Conn is one client of an echo event loop: a non-blocking socket and the
// bytes read from it that are not yet written back.
//
// Its methods never block. The loop asks WantRead and WantWrite which
// readiness to wait for, calls Read and Flush when the socket is ready, and
// closes the Conn once Done reports true or either call fails.
//
// A server holds one Conn per client for as long as the client stays, and
// with thousands of idle clients the Conns are most of its memory. So a
// Conn is one allocation: it keeps an accepted client's address as a
// value, formatted only when a log line or an error needs it, and no
// buffer while nothing is pending.
type Conn struct {
	out  []byte         // read but not yet echoed; never longer than max
	peer string         // the client's name as given to NewConn; empty when addr names it
	addr netip.AddrPort // the client's address, for clients the loop accepted
	max  int
	fd   int32 // descriptors are C ints

	armed   poller.Events // what the poller watches fd for
	eof     bool          // the client shut down its sending side
	stopped bool          // the server is shutting down and reads no more
	// accepted says the loop accepted fd itself, non-blocking, so its
	// reads and writes may skip the scheduler's hand-off (rawRead).
	accepted bool
}

// NewConn returns the echo state for the connected, non-blocking socket
// fd. peer names the client in errors. At most maxPending bytes are held
// unsent (DefaultMaxPending when maxPending <= 0).
func NewConn(fd int, peer string, maxPending int) *Conn {
	c := newConn(fd, netip.AddrPort{}, maxPending)
	c.peer, c.accepted = peer, false
	return c
}

// newConn is NewConn for a client the loop accepted, named by its
// address, which is formatted only when a log line or an error needs it.
func newConn(fd int, addr netip.AddrPort, maxPending int) *Conn {
	if maxPending <= 0 {
		maxPending = DefaultMaxPending
	}
	return &Conn{fd: int32(fd), addr: addr, max: maxPending, accepted: true}
}

// FD returns the connection's socket.
func (c *Conn) FD() int { return int(c.fd) }

// Peer returns the client's name as given to NewConn, or for a client the
// server accepted, its address ("127.0.0.1:40123").
func (c *Conn) Peer() string {
	if c.peer == "" && c.addr.IsValid() {
		return c.addr.String()
	}
	return c.peer
}

// Pending returns how many bytes were read and not yet written back.
func (c *Conn) Pending() int { return len(c.out) }

// WantRead reports whether the loop should wait for the socket to be
// readable. It is false once the client has sent EOF, once the server is
// stopping, and while the pending output is at its cap: a client that sends
// without reading its echo is not read from until it catches up, which
// keeps its memory bounded and pushes back on it through TCP flow control.
func (c *Conn) WantRead() bool {
	return !c.eof && !c.stopped && len(c.out) < c.max
}

// WantWrite reports whether output is pending, so the loop should wait for
// the socket to be writable.
func (c *Conn) WantWrite() bool { return len(c.out) > 0 }

// Done reports whether the connection has nothing more to do: no more
// input will be read and all output has been written.
func (c *Conn) Done() bool {
	return (c.eof || c.stopped) && len(c.out) == 0
}

// StopReading makes the connection finish: what is pending is still
// written, nothing more is read.
func (c *Conn) StopReading() { c.stopped = true }

// Read reads once from the socket into the pending output, at most as many
// bytes as fit under the cap and in buf, which is scratch space the loop
// lends to every connection. It returns the number of bytes read; 0 with a
// nil error means nothing was available or the client sent EOF (then
// WantRead turns false).
func (c *Conn) Read(buf []byte) (int, error) {
	if room := c.max - len(c.out); room < len(buf) {
		buf = buf[:room]
	}
	n, err := c.readOnce(buf)
	c.out = append(c.out, buf[:n]...)
	return n, err
}

// echo reads once from the socket into buf, like Read, and when nothing
// is pending writes what it read straight back, keeping only what the
// socket did not take. In the common case, a client that reads its echoes,
// no byte is copied into the connection's own buffer, so a connection
// holds no buffer between messages whatever their size. With output
// pending, what is read queues behind it, as with Read, to keep the order.
func (c *Conn) echo(buf []byte) (int, error) {
	if len(c.out) > 0 {
		return c.Read(buf)
	}
	if len(buf) > c.max {
		buf = buf[:c.max]
	}
	n, err := c.readOnce(buf)
	if n == 0 || err != nil {
		return n, err
	}
	sent, err := c.write(buf[:n])
	c.out = append(c.out, buf[sent:n]...)
	return n, err
}

// readOnce reads once from the socket into buf. It returns 0 and no error
// when nothing was available — readiness can be stale: another reader, or
// a level-triggered report the loop already acted on — or when the client
// sent EOF, which it records.
func (c *Conn) readOnce(buf []byte) (int, error) {
	if len(buf) == 0 || c.eof {
		return 0, nil
	}
	read := unix.Read
	if c.accepted {
		read = rawRead
	}
	n, eof, err := readSome(read, int(c.fd), buf)
	if err != nil {
		return 0, fmt.Errorf("read from %s: %w", c.Peer(), err)
	}
	c.eof = eof
	return n, nil
}

// write writes p until the socket takes no more and returns how much it
// took. A full socket is not an error.
func (c *Conn) write(p []byte) (int, error) {
	write := unix.Write
	if c.accepted {
		write = rawWrite
	}
	sent, err := writeSome(write, int(c.fd), p)
	if err != nil {
		return sent, fmt.Errorf("write to %s: %w", c.Peer(), err)
	}
	return sent, nil
}

// keepCap is the largest pending buffer a connection keeps once its output
// has drained. A larger one, grown by a burst, is let go so that an idle
// connection does not hold on to it: an echo server's connections are
// mostly idle, and with thousands of them the bursts' buffers would
// otherwise add up to most of its memory.
const keepCap = 1 << 10

// Flush writes as much pending output as the socket accepts now and keeps
// the rest for the next time it is writable. It returns the number of bytes
// written.
func (c *Conn) Flush() (int, error) {
	sent, err := c.write(c.out)
	if sent == len(c.out) && cap(c.out) > keepCap {
		c.out = nil
		return sent, err
	}
	// Keep the unsent rest at the front of the same array: the buffer
	// never grows past max, so copying at most max bytes is cheaper than
	// letting the slice creep through ever new allocations.
	c.out = c.out[:copy(c.out, c.out[sent:])]
	return sent, err
}

// Close closes the socket. Closing also removes it from any epoll or
// kqueue set it was in.
func (c *Conn) Close() error {
	if c.fd < 0 {
		return nil
	}
	err := unix.Close(int(c.fd))
	c.fd = -1
	if err != nil {
		return fmt.Errorf("close %s: %w", c.Peer(), os.NewSyscallError("close", err))
	}
	return nil
}
