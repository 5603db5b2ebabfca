//go:build solution

package stale

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"syscall"
	"time"
)

// Listen listens on the UNIX stream socket at path, replacing a stale socket
// file.
func Listen(path string) (*net.UnixListener, error) {
	if len(path) > MaxPathLen {
		return nil, fmt.Errorf("stale: path %q is %d bytes, more than the %d a UNIX socket address holds", path, len(path), MaxPathLen)
	}
	for attempt := 0; ; attempt++ {
		ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
		if err == nil || !errors.Is(err, syscall.EADDRINUSE) || attempt > 0 {
			if err != nil {
				return nil, fmt.Errorf("stale: listen on %q: %w", path, err)
			}
			return ln, nil
		}
		if err := removeIfStale(path); err != nil {
			return nil, err
		}
	}
}

// removeIfStale removes path only if it is a socket nobody accepts on.
func removeIfStale(path string) error {
	fi, err := os.Lstat(path)
	if err != nil {
		return fmt.Errorf("stale: %q: %w", path, err)
	}
	if fi.Mode().Type() != fs.ModeSocket {
		return fmt.Errorf("stale: %q exists and is not a socket (%s); not removing it", path, fi.Mode().Type())
	}
	c, err := net.DialTimeout("unix", path, time.Second)
	if err == nil {
		c.Close()
		return fmt.Errorf("stale: %q: %w", path, ErrInUse)
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		return fmt.Errorf("stale: probing %q: %w", path, err)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("stale: remove %q: %w", path, err)
	}
	return nil
}
