package unixecho

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"strings"
	"syscall"
	"time"
)

// MaxPathLen is the longest socket path bind accepts: sun_path's 108 bytes
// less the terminating NUL. An abstract name ("@name") may use all 108.
const MaxPathLen = 107

// ErrInUse is returned by Listen when another server is listening on the
// path.
var ErrInUse = errors.New("another server is listening there")

// Listen listens on the UNIX stream socket path. A path starting with '@'
// names a Linux abstract socket. A stale socket file left by a server that
// is gone is removed first; a live one, or a file that is not a socket, is
// left alone and reported.
func Listen(ctx context.Context, path string) (*net.UnixListener, error) {
	if err := checkPath(path); err != nil {
		return nil, err
	}
	if !strings.HasPrefix(path, "@") {
		if err := removeStale(ctx, path); err != nil {
			return nil, err
		}
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "unix", path)
	if err != nil {
		return nil, fmt.Errorf("unixecho: %w", err)
	}
	return ln.(*net.UnixListener), nil
}

func checkPath(path string) error {
	limit := MaxPathLen
	if strings.HasPrefix(path, "@") {
		limit++ // no NUL terminator for abstract names
	}
	switch {
	case path == "" || path == "@":
		return fmt.Errorf("unixecho: empty socket path %q", path)
	case len(path) > limit:
		return fmt.Errorf("unixecho: socket path %q is %d bytes; sun_path allows at most %d", path, len(path), limit)
	case strings.IndexByte(path, 0) >= 0:
		return fmt.Errorf("unixecho: socket path %q contains a NUL byte", path)
	}
	return nil
}

// removeStale deletes path if it is a socket nobody listens on.
func removeStale(ctx context.Context, path string) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("unixecho: %w", err)
	}
	if fi.Mode().Type() != fs.ModeSocket {
		return fmt.Errorf("unixecho: %s exists and is not a socket (%v); not removing it", path, fi.Mode().Type())
	}
	d := net.Dialer{Timeout: time.Second}
	c, err := d.DialContext(ctx, "unix", path)
	if err == nil {
		c.Close()
		return fmt.Errorf("unixecho: listen on %s: %w", path, ErrInUse)
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		return fmt.Errorf("unixecho: checking whether %s is stale: %w", path, err)
	}
	if err := os.Remove(path); err != nil {
		return fmt.Errorf("unixecho: removing stale socket: %w", err)
	}
	return nil
}
