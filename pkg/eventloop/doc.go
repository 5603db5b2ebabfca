// Package eventloop implements the cheat sheet's asynchronous TCP echo
// servers on raw non-blocking sockets, one readiness mechanism per file:
//
//   - select-server: select(2) over fd_sets (select.go)
//   - poll-server: poll(2) over an array of pollfd (poll.go)
//   - epoll-server: Linux's epoll(7) (epoll_linux.go)
//   - kqueue-server: kqueue(2) on macOS and the BSDs (kqueue_bsd.go); on
//     other systems Listen reports an error that matches
//     errors.ErrUnsupported, as the original script printed "Not support
//     kqueue".
//
// All four share the same shape: one goroutine waits for readiness, accepts
// new clients, reads what a client sent and writes it back. What the
// cheat sheet's loops leave out, these handle: EINTR and EAGAIN, partial
// writes (the unsent rest waits in the connection's pending buffer until the
// socket is writable again), a client's EOF or reset (only that client is
// closed), and a slow reader (once a client's pending output reaches
// Config.MaxPending, the server stops reading from it until the output
// drains, so memory per client stays bounded).
//
// What the loops share lives in its own file: socket setup (socket.go), the
// per-connection echo state (conn.go), the wakeup descriptor (waker.go) and
// the accept, service and shutdown steps (loop.go).
//
// Go programs do not normally write loops like these: the runtime's network
// poller already runs epoll or kqueue underneath every net.Conn, and a
// goroutine per connection gives the same scalability with blocking-style
// code. The loops are here to show what that poller does.
package eventloop
