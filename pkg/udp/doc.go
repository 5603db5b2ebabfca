// Package udp holds the cheat sheet's UDP recipes: an echo server, a sender
// that repeats a datagram at an interval, and a broadcaster.
//
// It covers the recipes udp-echo, udp-sender and udp-broadcast.
//
// UDP keeps message boundaries but promises nothing else: a datagram may
// be lost, duplicated or reordered, and one that is longer than the
// reader's buffer is cut short without an error. The echo server therefore
// reads into a buffer as large as the largest possible datagram
// ([BufferSize]) rather than the cheat sheet's 1024 bytes.
//
// Errors from the network that concern one peer — an ICMP "port
// unreachable" surfacing as ECONNREFUSED on a later read, say — are logged
// and the server carries on serving everyone else.
package udp
