//go:build !(darwin || freebsd || netbsd || openbsd || dragonfly)

package eventloop

import "context"

const haveKqueue = false

// serveKqueue is not reached: Listen refuses Kqueue where it is missing.
func (s *Server) serveKqueue(context.Context) error { return Kqueue.Available() }
