//go:build !linux

package eventloop

import "context"

const haveEpoll = false

// serveEpoll is not reached: Listen refuses Epoll where it is missing.
func (s *Server) serveEpoll(context.Context) error { return Epoll.Available() }
