//go:build solution

package tlsstates

import (
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// slice bounds one poll, so that Close and new deadlines are noticed.
const slice = 20 * time.Millisecond

// Conn is a net.Conn over a non-blocking socket, for tls.Client and
// tls.Server: where a read or write would block it records the State,
// waits with poll(2) and tries again.
type Conn struct {
	fd            int
	local, remote net.Addr

	mu       sync.Mutex
	closed   bool
	busy     int        // Reads and Writes under way; Close waits for them
	idle     *sync.Cond // signalled when busy drops to 0
	rdl, wdl time.Time  // zero: no deadline
	states   []State
}

// NewConn returns a Conn for the connected non-blocking socket fd, which
// it owns from now on.
func NewConn(fd int) (*Conn, error) {
	fl, err := unix.FcntlInt(uintptr(fd), unix.F_GETFL, 0)
	if err != nil {
		return nil, fmt.Errorf("tlsstates: fd %d: %w", fd, os.NewSyscallError("fcntl", err))
	}
	if fl&unix.O_NONBLOCK == 0 {
		return nil, fmt.Errorf("tlsstates: fd %d is blocking; want a non-blocking socket", fd)
	}
	c := &Conn{fd: fd}
	c.idle = sync.NewCond(&c.mu)
	if sa, err := unix.Getsockname(fd); err == nil {
		c.local = addr(sa)
	}
	sa, err := unix.Getpeername(fd)
	if err != nil {
		return nil, fmt.Errorf("tlsstates: fd %d is not a connected socket: %w", fd, os.NewSyscallError("getpeername", err))
	}
	c.remote = addr(sa)
	return c, nil
}

func addr(sa unix.Sockaddr) net.Addr {
	switch a := sa.(type) {
	case *unix.SockaddrInet4:
		return &net.TCPAddr{IP: net.IP(a.Addr[:]), Port: a.Port}
	case *unix.SockaddrInet6:
		return &net.TCPAddr{IP: net.IP(a.Addr[:]), Port: a.Port}
	case *unix.SockaddrUnix:
		return &net.UnixAddr{Name: a.Name, Net: "unix"}
	}
	return nil
}

// States returns the States met so far, in order; it is safe to call at
// any time, from any goroutine.
func (c *Conn) States() []State {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]State(nil), c.states...)
}

// Read reads into p, waiting (want-read) while the socket has no data.
// A read of 0 bytes from the socket is the peer's end of file: io.EOF.
func (c *Conn) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if err := c.begin("read"); err != nil {
		return 0, err
	}
	defer c.end()
	for {
		n, err := unix.Read(c.fd, p)
		switch {
		case err == nil && n == 0:
			return 0, io.EOF
		case err == nil:
			return n, nil
		case err == unix.EINTR:
			continue
		case err != unix.EAGAIN:
			return 0, c.opErr("read", os.NewSyscallError("read", err))
		}
		if err := c.wait(WantRead, unix.POLLIN); err != nil {
			return 0, c.opErr("read", err)
		}
	}
}

// Write writes all of p, waiting (want-write) while the send buffer is full.
func (c *Conn) Write(p []byte) (int, error) {
	if err := c.begin("write"); err != nil {
		return 0, err
	}
	defer c.end()
	done := 0
	for done < len(p) {
		n, err := unix.Write(c.fd, p[done:])
		if n > 0 {
			done += n
		}
		switch {
		case err == nil, err == unix.EINTR:
			continue
		case err != unix.EAGAIN:
			return done, c.opErr("write", os.NewSyscallError("write", err))
		}
		if err := c.wait(WantWrite, unix.POLLOUT); err != nil {
			return done, c.opErr("write", err)
		}
	}
	return done, nil
}

// begin counts a Read or Write under way, so that Close does not release
// the descriptor number while a system call may still use it; it fails
// once the Conn is closed.
func (c *Conn) begin(op string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return c.opErr(op, net.ErrClosed)
	}
	c.busy++
	return nil
}

func (c *Conn) end() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.busy--; c.busy == 0 {
		c.idle.Broadcast()
	}
}

// wait records s, then polls for events in short slices until the socket
// is ready, the deadline passes or the Conn is closed.
func (c *Conn) wait(s State, events int16) error {
	c.mu.Lock()
	c.states = append(c.states, s)
	c.mu.Unlock()
	for {
		c.mu.Lock()
		closed, dl := c.closed, c.rdl
		if s == WantWrite {
			dl = c.wdl
		}
		c.mu.Unlock()
		if closed {
			return net.ErrClosed
		}
		d := slice
		if !dl.IsZero() {
			left := time.Until(dl)
			if left <= 0 {
				return os.ErrDeadlineExceeded
			}
			d = min(d, left)
		}
		ms := int((d + time.Millisecond - 1) / time.Millisecond)
		n, err := unix.Poll([]unix.PollFd{{Fd: int32(c.fd), Events: events}}, ms)
		if err != nil && err != unix.EINTR {
			return os.NewSyscallError("poll", err)
		}
		if n > 0 {
			return nil // ready, or in error: the next call says which
		}
	}
}

func (c *Conn) opErr(op string, err error) error {
	return &net.OpError{Op: op, Net: "tcp", Source: c.local, Addr: c.remote, Err: err}
}

// Close closes the socket. A Read or Write waiting in poll is woken by
// the shutdown (or notices within one slice) and fails; Close waits for it
// to leave before closing, since the number may be reused at once.
func (c *Conn) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return c.opErr("close", net.ErrClosed)
	}
	c.closed = true
	unix.Shutdown(c.fd, unix.SHUT_RDWR)
	for c.busy > 0 {
		c.idle.Wait()
	}
	c.mu.Unlock()
	if err := unix.Close(c.fd); err != nil {
		return c.opErr("close", os.NewSyscallError("close", err))
	}
	return nil
}

func (c *Conn) LocalAddr() net.Addr  { return c.local }
func (c *Conn) RemoteAddr() net.Addr { return c.remote }

func (c *Conn) SetDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.rdl, c.wdl = t, t
	return nil
}

func (c *Conn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.rdl = t
	return nil
}

func (c *Conn) SetWriteDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.wdl = t
	return nil
}
