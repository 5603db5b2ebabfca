//go:build !linux && !(darwin || freebsd || netbsd || openbsd || dragonfly)

package poller

// Default returns the most efficient Poller this system has: poll, on
// systems with neither epoll nor kqueue.
func Default() (Poller, error) { return NewPoll(), nil }
