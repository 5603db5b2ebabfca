package sheet

import (
	"slices"

	"golang.org/x/sys/unix"
)

// SelectServer waits with select(2) until some of fds can be read, the
// step an event loop repeats, and returns those. An FdSet is a bitmap of
// the descriptors below 1024.
//
// Calls: unix.Select
// Python: select.select
func SelectServer(fds []int) ([]int, error) {
	var set unix.FdSet
	top := 0
	for _, fd := range fds {
		set.Set(fd)
		top = max(top, fd)
	}
	if _, err := unix.Select(top+1, &set, nil, nil, nil); err != nil {
		return nil, err
	}
	return slices.DeleteFunc(slices.Clone(fds), func(fd int) bool { return !set.IsSet(fd) }), nil
}
