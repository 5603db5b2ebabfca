//go:build solution

package selectorecho

import (
	"context"
	"fmt"
	"time"

	"github.com/sockbook/sockbook/pkg/selectors"
	"golang.org/x/sys/unix"
)

// tick bounds each wait, so that the loop notices ctx ending.
const tick = 50 * time.Millisecond

// client is one connection's state: what it sent that is not echoed yet.
type client struct {
	fd      int
	pending []byte
}

// server is one Serve: the selector and the clients registered on it.
type server struct {
	sel     selectors.Selector
	clients map[int]*client
	err     error // a failure of the selector itself ends Serve
}

// Serve echoes every client that connects to the non-blocking listening
// socket lfd, with sel as its only way of waiting, until ctx ends. Then it
// closes every client, unregisters lfd (which it does not close) and
// returns nil.
func Serve(ctx context.Context, sel selectors.Selector, lfd int) error {
	s := &server{sel: sel, clients: map[int]*client{}}
	accept := selectors.Handler(func(selectors.Events) { s.accept(lfd) })
	if _, err := sel.Register(lfd, selectors.EventRead, accept); err != nil {
		return fmt.Errorf("selectorecho: register listener fd %d: %w", lfd, err)
	}
	defer func() {
		for _, c := range s.clients {
			s.drop(c)
		}
		sel.Unregister(lfd)
	}()
	for ctx.Err() == nil && s.err == nil {
		ready, err := sel.Select(tick)
		if err != nil {
			return fmt.Errorf("selectorecho: %s select: %w", sel.Name(), err)
		}
		// The loop only dispatches: what to do is in each key's data.
		for _, r := range ready {
			r.Key.Data.(selectors.Handler)(r.Events)
		}
	}
	return s.err
}

// accept takes every waiting connection and registers each with a handler
// of its own.
func (s *server) accept(lfd int) {
	for {
		fd, _, err := unix.Accept4(lfd, unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
		switch err {
		case nil:
		case unix.EINTR, unix.ECONNABORTED:
			continue
		default:
			return // EAGAIN: no more for now; EMFILE and the like: try again later
		}
		c := &client{fd: fd}
		if _, err := s.sel.Register(fd, selectors.EventRead, selectors.Handler(func(ev selectors.Events) { s.serve(c, ev) })); err != nil {
			unix.Close(fd)
			s.err = fmt.Errorf("selectorecho: register client fd %d: %w", fd, err)
			return
		}
		s.clients[fd] = c
	}
}

// serve is a client's handler: read what there is, echo what fits, and
// tell the selector what to wait for next.
func (s *server) serve(c *client, ev selectors.Events) {
	if ev&selectors.EventRead != 0 && len(c.pending) < MaxPending {
		buf := make([]byte, 32<<10)
		n, err := unix.Read(c.fd, buf)
		switch {
		case n > 0:
			c.pending = append(c.pending, buf[:n]...)
		case n == 0 && err == nil:
			// End of file. The cheat sheet's select server forgets this
			// case, and the closed socket stays readable forever.
			s.drop(c)
			return
		case err != unix.EAGAIN && err != unix.EINTR:
			s.drop(c)
			return
		}
	}
	for len(c.pending) > 0 {
		n, err := unix.Write(c.fd, c.pending)
		if n > 0 {
			c.pending = c.pending[:copy(c.pending, c.pending[n:])]
		}
		if err == unix.EAGAIN {
			break
		}
		if err != nil && err != unix.EINTR {
			s.drop(c)
			return
		}
	}
	var want selectors.Events
	if len(c.pending) < MaxPending {
		want |= selectors.EventRead
	}
	if len(c.pending) > 0 {
		want |= selectors.EventWrite
	}
	if key, err := s.sel.Key(c.fd); err == nil && key.Events != want {
		if _, err := s.sel.Modify(c.fd, want, key.Data); err != nil {
			s.drop(c)
		}
	}
}

// drop unregisters a client, then closes it: in that order, because a
// closed descriptor number may be reused before the selector forgets it.
func (s *server) drop(c *client) {
	s.sel.Unregister(c.fd)
	unix.Close(c.fd)
	delete(s.clients, c.fd)
}
