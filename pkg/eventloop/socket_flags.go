//go:build linux || freebsd || dragonfly

package eventloop

import "golang.org/x/sys/unix"

// socket and accept ask the kernel for non-blocking, close-on-exec
// descriptors in the same call, so no fork can inherit one in between.

func socket(domain, typ int) (int, error) {
	return unix.Socket(domain, typ|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
}

func accept(ln int) (int, unix.Sockaddr, error) {
	return unix.Accept4(ln, unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC)
}
