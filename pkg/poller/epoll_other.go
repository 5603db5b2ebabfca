//go:build !linux

package poller

const haveEpoll = false

// NewEpoll reports, on systems without epoll, an error that matches
// errors.ErrUnsupported.
func NewEpoll() (Poller, error) { return nil, unsupported("epoll") }
