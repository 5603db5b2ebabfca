package udp

import (
	"errors"
	"syscall"
)

// hostIsolated reports whether err is ENONET, the errno Linux gives an ICMP
// "host isolated" message.
func hostIsolated(err error) bool { return errors.Is(err, syscall.ENONET) }
