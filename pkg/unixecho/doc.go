// Package unixecho runs an echo server on a UNIX domain stream socket: a
// socket with a file-system path (or, on Linux, an abstract name) instead
// of an IP address and port, for processes on the same host.
//
// It covers the recipe unix-echo. The echoing is package echo's Handler,
// run with the lifecycle package socketserver describes;
// what this package adds is what goes wrong with UNIX socket paths:
//
//   - A server that crashed leaves its socket file behind, and the next
//     bind fails with "address already in use". Listen removes such a stale
//     file, but only after checking that it is a socket and that nobody is
//     listening on it.
//   - sun_path holds 108 bytes including the terminating NUL, so a path may
//     have at most 107. Listen says so instead of a bare EINVAL.
//   - On Linux a name starting with '@' is abstract (the kernel sees a NUL
//     as sun_path's first byte): it lives in the kernel, not the file
//     system, and disappears with the last socket, so there is never a
//     stale file to clean up. Nor are there file-system permissions: any
//     process in the same network namespace can connect, and none in
//     another namespace can see the name.
//
// Go's UnixListener removes the socket file it created when closed, which
// is the cleanup the cheat sheet's finally block does by hand.
package unixecho
