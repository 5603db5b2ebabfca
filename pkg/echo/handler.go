package echo

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"sync"
	"time"
)

// Default settings of a Handler's zero fields.
const (
	DefaultBufferSize    = 32 << 10
	DefaultShutdownGrace = 2 * time.Second
)

// ErrIdle is returned by Handler.Echo when a connection was closed for
// sending nothing for longer than the idle timeout.
var ErrIdle = errors.New("idle timeout")

// Handler echoes a stream connection. Its zero value is ready to use; it
// satisfies socketserver.Handler.
type Handler struct {
	// IdleTimeout closes a connection that sends nothing, or does not take
	// its echo, for this long. Zero means no limit.
	IdleTimeout time.Duration

	// BufferSize is the size of the one buffer each connection uses, which
	// bounds its memory. Zero means DefaultBufferSize.
	BufferSize int

	// ShutdownGrace bounds, once the context ends, both the time spent
	// writing the last echoes and the wait for the client to close.
	// Zero means DefaultShutdownGrace.
	ShutdownGrace time.Duration

	// Logger receives one line per finished connection. Nil discards it.
	Logger *slog.Logger
}

// ServeConn echoes conn until the client closes it, it idles out, or ctx
// ends, and logs how it ended. The caller closes conn.
func (h *Handler) ServeConn(ctx context.Context, conn net.Conn) {
	n, err := h.Echo(ctx, conn)
	log := h.Logger
	if log == nil {
		return
	}
	if err != nil {
		log.Info("connection ended", "remote", conn.RemoteAddr().String(), "echoed", n, "err", err)
		return
	}
	log.Info("connection closed", "remote", conn.RemoteAddr().String(), "echoed", n)
}

// Echo copies everything read from conn back to conn and returns the number
// of bytes echoed. It returns a nil error when the client closed its side
// (EOF) or when ctx ended and the shutdown completed: everything that had
// reached this host before the shutdown was echoed, the write side was
// closed so the client sees a clean end of stream, and the client closed
// too or ShutdownGrace passed.
func (h *Handler) Echo(ctx context.Context, conn net.Conn) (int64, error) {
	buf := make([]byte, orDefault(h.BufferSize, DefaultBufferSize))
	grace := time.Duration(orDefault(int64(h.ShutdownGrace), int64(DefaultShutdownGrace)))
	d := &deadlines{conn: conn, idle: h.IdleTimeout, grace: grace}
	stop := context.AfterFunc(ctx, d.shutdown)
	defer stop()

	var total int64
	for {
		if !d.beforeRead() {
			return total, h.finish(conn, buf, &total, grace)
		}
		n, rerr := conn.Read(buf)
		if n > 0 {
			d.beforeWrite()
			w, werr := conn.Write(buf[:n])
			total += int64(w)
			if werr != nil {
				return total, fmt.Errorf("echo: write to %s: %w", conn.RemoteAddr(), werr)
			}
		}
		switch {
		case rerr == nil:
		case errors.Is(rerr, io.EOF):
			return total, nil
		case d.closing():
			return total, h.finish(conn, buf, &total, grace)
		case errors.Is(rerr, os.ErrDeadlineExceeded):
			return total, fmt.Errorf("echo: %s sent nothing for %v: %w", conn.RemoteAddr(), h.IdleTimeout, ErrIdle)
		default:
			return total, fmt.Errorf("echo: read from %s: %w", conn.RemoteAddr(), rerr)
		}
	}
}

// finish runs the shutdown of one connection: echo what is already waiting
// in the kernel, close the write side, then read and discard until the
// client closes. That last step matters: closing a socket with unread data
// makes the kernel send a reset, which can destroy echoes still in flight.
func (h *Handler) finish(conn net.Conn, buf []byte, total *int64, grace time.Duration) error {
	end := time.Now().Add(grace)
	conn.SetDeadline(end)
	for time.Now().Before(end) {
		if err := echoBuffered(conn, buf, total, end); err != nil {
			return err
		}
		if unread(conn) == 0 {
			break
		}
		n, err := conn.Read(buf)
		if werr := writeBack(conn, buf[:n], total); werr != nil {
			return werr
		}
		if err != nil {
			break
		}
	}
	if cw, ok := conn.(interface{ CloseWrite() error }); ok {
		cw.CloseWrite()
	}
	io.Copy(io.Discard, conn)
	return nil
}

// echoBuffered echoes what a *tls.Conn has already taken from the kernel
// but not yet returned: whole records wait in its buffer, invisible to
// unread. With a read deadline in the past, tls.Conn.Read still returns
// buffered records and fails only when it would need the socket; that
// timeout is not sticky, so the connection stays usable. The read deadline
// is then restored to end.
func echoBuffered(conn net.Conn, buf []byte, total *int64, end time.Time) error {
	tc, ok := conn.(*tls.Conn)
	if !ok {
		return nil
	}
	tc.SetReadDeadline(time.Unix(1, 0))
	defer tc.SetReadDeadline(end)
	for {
		n, err := tc.Read(buf)
		if werr := writeBack(tc, buf[:n], total); werr != nil {
			return werr
		}
		if err != nil {
			return nil
		}
	}
}

// writeBack writes p, read during shutdown, back to conn and adds what
// went out to total.
func writeBack(conn net.Conn, p []byte, total *int64) error {
	if len(p) == 0 {
		return nil
	}
	n, err := conn.Write(p)
	*total += int64(n)
	if err != nil {
		return fmt.Errorf("echo: write to %s during shutdown: %w", conn.RemoteAddr(), err)
	}
	return nil
}

// deadlines arms a connection's read and write deadlines for the idle
// timeout, and lets shutdown (called from another goroutine) override them
// without racing a deadline the echo loop is about to set.
type deadlines struct {
	mu          sync.Mutex
	conn        net.Conn
	idle, grace time.Duration
	stopping    bool
}

// beforeRead arms the idle timeout for the next read. It reports false once
// shutdown has begun.
func (d *deadlines) beforeRead() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.stopping {
		return false
	}
	if d.idle > 0 {
		d.conn.SetReadDeadline(time.Now().Add(d.idle))
	}
	return true
}

// beforeWrite arms the idle timeout for the next write, so a client that
// never reads its echoes is dropped rather than holding the handler forever.
func (d *deadlines) beforeWrite() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.stopping && d.idle > 0 {
		d.conn.SetWriteDeadline(time.Now().Add(d.idle))
	}
}

// shutdown wakes a blocked read at once and gives a blocked write the
// grace period to finish.
func (d *deadlines) shutdown() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.stopping = true
	d.conn.SetReadDeadline(time.Unix(1, 0))
	d.conn.SetWriteDeadline(time.Now().Add(d.grace))
}

func (d *deadlines) closing() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.stopping
}

// orDefault returns v, or def when v is zero or negative.
func orDefault[T int | int64](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}
