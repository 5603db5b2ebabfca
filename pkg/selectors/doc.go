// Package selectors is the counterpart of Python's selectors module: a
// Selector watches descriptors for read and write readiness and hands back,
// for each ready one, the key it was registered with and the data attached
// to it. It covers two recipes:
//
//   - selectors: the Selector, with select, poll, epoll and kqueue
//     backends and NewDefaultSelector picking the best one here, and
//     EchoServer, an echo server whose loop dispatches to the handler
//     stored as each key's data, as the cheat sheet's script does.
//   - nonblocking-tls: TLSEchoServer, a TLS echo server whose sockets are
//     driven by a Selector, and ServeTLS, what Go programs do instead. See
//     TLSEchoServer for why the two look so different.
//
// Python's SelectorKey carries the file object and its descriptor; Go has
// no file object common to sockets, pipes and files, so keys here are by
// descriptor alone. The API is not generic: attached data is an any.
package selectors
