//go:build !linux

package selectors

// NewEpollSelector reports, on systems without epoll, an error that
// matches errors.ErrUnsupported.
func NewEpollSelector() (Selector, error) { return nil, unsupported("epoll") }
