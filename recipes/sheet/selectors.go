package sheet

import "github.com/sockbook/sockbook/pkg/selectors"

// Selectors waits on the platform's best mechanism (epoll, kqueue, else
// poll) and calls the function registered with each ready descriptor,
// as Python's selectors module does with a key's data.
//
// Calls: selectors.NewDefaultSelector
// Python: selectors.DefaultSelector, selectors.EVENT_READ
func Selectors(fd int, onReadable func(fd int)) error {
	sel, err := selectors.NewDefaultSelector()
	if err != nil {
		return err
	}
	defer sel.Close()
	if _, err := sel.Register(fd, selectors.EventRead, onReadable); err != nil {
		return err
	}
	ready, err := sel.Select(-1)
	for _, r := range ready {
		r.Key.Data.(func(int))(r.Key.FD)
	}
	return err
}
