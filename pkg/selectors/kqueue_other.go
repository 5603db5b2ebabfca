//go:build !(darwin || freebsd || netbsd || openbsd || dragonfly)

package selectors

// NewKqueueSelector reports, on systems without kqueue, an error that
// matches errors.ErrUnsupported.
func NewKqueueSelector() (Selector, error) { return nil, unsupported("kqueue") }
