//go:build !aix && !darwin

package socketpair

import "golang.org/x/sys/unix"

// socketpair makes a pair of connected Unix stream sockets that are
// close-on-exec from the start.
func socketpair() ([2]int, error) {
	return unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
}
