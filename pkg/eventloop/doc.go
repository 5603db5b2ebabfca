// Package eventloop implements the cheat sheet's asynchronous TCP echo
// servers on raw non-blocking sockets: one Server whose loop waits with
// the Mechanism it is given, each mechanism a short file of package poller:
//
//   - select-server: select(2) over fd_sets (poller/select.go)
//   - poll-server: poll(2) over an array of pollfd (poller/poll.go)
//   - epoll-server: Linux's epoll(7) (poller/epoll_linux.go)
//   - kqueue-server: kqueue(2) on macOS and the BSDs (poller/kqueue_bsd.go);
//     on other systems Serve reports an error that matches
//     errors.ErrUnsupported, as the original script printed "Not support
//     kqueue".
//
// The loop is the same whatever the mechanism (loop.go): one goroutine
// waits for readiness, accepts new clients, reads what a client sent and
// writes it back, all on raw descriptors through golang.org/x/sys/unix.
// What the cheat sheet's loops leave out, it handles: EINTR and EAGAIN,
// partial writes (the unsent rest waits in the connection's pending buffer
// until the socket is writable again), a client's EOF or reset (only that
// client is closed), and a slow reader (once a client's pending output
// reaches Server.MaxPending, the server stops reading from it until the
// output drains, so memory per client stays bounded). The per-connection
// echo state is conn.go; socket helpers are socket.go.
//
// Server has the lifecycle of every sockbook server, described in package
// socketserver: fields for its settings, Serve(ctx, ln) until ctx ends. It
// accepts on a duplicate of the listener's descriptor and never touches
// the net package's poller.
//
// Go programs do not normally write loops like these: the runtime's network
// poller already runs epoll or kqueue underneath every net.Conn, and a
// goroutine per connection gives the same scalability with blocking-style
// code. The loops are here to show what that poller does.
package eventloop
