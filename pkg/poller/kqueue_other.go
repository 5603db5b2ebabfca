//go:build !(darwin || freebsd || netbsd || openbsd || dragonfly)

package poller

const haveKqueue = false

// NewKqueue reports, on systems without kqueue, an error that matches
// errors.ErrUnsupported.
func NewKqueue() (Poller, error) { return nil, unsupported("kqueue") }
