// Package selectors is the counterpart of Python's selectors module: a
// Selector watches descriptors for read and write readiness and hands back,
// for each ready one, the key it was registered with and the data attached
// to it. It covers two recipes:
//
//   - selectors: the Selector, over each mechanism of package poller
//     (select, poll, epoll, kqueue), with NewDefaultSelector picking the
//     best one here, and EchoServer, an echo server whose loop dispatches
//     to the handler stored as each key's data, as the cheat sheet's
//     script does.
//   - nonblocking-tls: TLSEchoServer, a TLS echo server whose sockets are
//     driven by a Selector. See TLSEchoServer for why it looks so
//     different from tlsecho.Server, which is what Go programs do instead.
//
// Both servers have the lifecycle of every sockbook server, described in
// package socketserver: fields for settings, Serve(ctx, ln) until ctx ends.
//
// Python's SelectorKey carries the file object and its descriptor; Go has
// no file object common to sockets, pipes and files, so keys here are by
// descriptor alone. The API is not generic: attached data is an any.
package selectors
