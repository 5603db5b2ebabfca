//go:build solution

// Package epollecho is a TCP echo server driven by epoll(7) in one goroutine.
package epollecho

import (
	"context"
	"fmt"

	"golang.org/x/sys/unix"
)

// client is one connection's state: what it sent that it has not yet taken
// back.
type client struct {
	fd      int
	pending []byte
}

// Serve echoes for every client of the non-blocking listening socket ln until
// ctx ends. It does not close ln.
func Serve(ctx context.Context, ln int) error {
	epfd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return fmt.Errorf("epollecho: epoll_create1: %w", err)
	}
	defer unix.Close(epfd)
	if err := unix.EpollCtl(epfd, unix.EPOLL_CTL_ADD, ln, &unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(ln)}); err != nil {
		return fmt.Errorf("epollecho: register listener %d: %w", ln, err)
	}
	clients := map[int32]*client{}
	defer func() {
		for _, c := range clients {
			unix.Close(c.fd)
		}
	}()

	events := make([]unix.EpollEvent, 64)
	buf := make([]byte, 64<<10)
	for ctx.Err() == nil {
		// The timeout bounds how late a cancelled context is noticed.
		n, err := unix.EpollWait(epfd, events, 50)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return fmt.Errorf("epollecho: epoll_wait: %w", err)
		}
		for _, ev := range events[:n] {
			if int(ev.Fd) == ln {
				acceptAll(epfd, ln, clients)
				continue
			}
			c := clients[ev.Fd]
			if c == nil {
				continue
			}
			if !service(epfd, c, ev.Events, buf) {
				unix.Close(c.fd) // also removes it from the epoll set
				delete(clients, ev.Fd)
			}
		}
	}
	return nil
}

// acceptAll takes every pending connection: with level-triggered epoll one
// would do, but draining the queue saves a wakeup per client.
func acceptAll(epfd, ln int, clients map[int32]*client) {
	for {
		fd, _, err := unix.Accept4(ln, unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
		if err != nil {
			// EAGAIN: the queue is empty. ECONNABORTED and friends concern
			// one client that is already gone.
			return
		}
		if err := unix.EpollCtl(epfd, unix.EPOLL_CTL_ADD, fd, &unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(fd)}); err != nil {
			unix.Close(fd)
			continue
		}
		clients[int32(fd)] = &client{fd: fd}
	}
}

// service handles one readiness event and reports whether c stays open.
func service(epfd int, c *client, ready uint32, buf []byte) bool {
	if ready&unix.EPOLLOUT != 0 || len(c.pending) > 0 {
		if !flush(c) {
			return false
		}
		if len(c.pending) > 0 {
			return true // still blocked: wait for the next EPOLLOUT
		}
		return watch(epfd, c, unix.EPOLLIN)
	}
	if ready&(unix.EPOLLIN|unix.EPOLLHUP|unix.EPOLLERR) == 0 {
		return true
	}
	n, err := unix.Read(c.fd, buf)
	switch {
	case err == unix.EAGAIN || err == unix.EINTR:
		return true
	case err != nil || n == 0:
		return false // reset, or the client's EOF
	}
	c.pending = append(c.pending[:0], buf[:n]...)
	if !flush(c) {
		return false
	}
	if len(c.pending) > 0 {
		// Stop reading until the client takes its echo: that bounds memory.
		return watch(epfd, c, unix.EPOLLOUT)
	}
	return true
}

// flush writes as much of c.pending as the socket takes.
func flush(c *client) bool {
	for len(c.pending) > 0 {
		n, err := unix.Write(c.fd, c.pending)
		if n > 0 {
			c.pending = c.pending[n:]
		}
		switch {
		case err == unix.EINTR:
		case err == unix.EAGAIN:
			return true
		case err != nil:
			return false
		}
	}
	return true
}

func watch(epfd int, c *client, events uint32) bool {
	return unix.EpollCtl(epfd, unix.EPOLL_CTL_MOD, c.fd, &unix.EpollEvent{Events: events, Fd: int32(c.fd)}) == nil
}
