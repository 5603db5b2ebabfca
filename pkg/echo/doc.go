// Package echo is the stream echo service that sockbook's TCP, IPv6,
// dual-stack, UNIX and TLS recipes share: whatever a client sends comes
// back, byte for byte, until the client closes its side.
//
// The cheat sheet's servers read once with recv(1024), send once and hang
// up, so a longer message is cut short and a slow client can stall them.
// Handler instead streams: it echoes every byte of arbitrarily large
// messages through one fixed buffer (so memory per connection is bounded,
// and a client that does not read its echoes is held back by TCP flow
// control rather than buffered without limit), closes idle connections, and
// on shutdown first echoes what already arrived.
//
// Exchange is the client side, the counterpart of typing into nc.
package echo
