//go:build !linux && !(darwin || freebsd || netbsd || openbsd || dragonfly)

package selectors

// NewDefaultSelector returns the most efficient Selector this system
// has, as Python's DefaultSelector: poll, on systems with neither epoll
// nor kqueue.
func NewDefaultSelector() (Selector, error) { return NewPollSelector() }
