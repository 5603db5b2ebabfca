// Package tlsstates drives crypto/tls over a non-blocking socket, and
// records when TLS had to wait for the socket to be readable or writable:
// the states OpenSSL reports as SSL_ERROR_WANT_READ and WANT_WRITE.
package tlsstates

import "fmt"

// A State is why a TLS connection had to wait for its socket.
type State int

// The states, as Python's ssl.SSLWantReadError and SSLWantWriteError.
const (
	WantRead  State = iota + 1 // a read found no data (EAGAIN)
	WantWrite                  // a write found the send buffer full (EAGAIN)
)

// String returns the state's name, as the tests and their failures print it.
func (s State) String() string {
	switch s {
	case WantRead:
		return "want-read"
	case WantWrite:
		return "want-write"
	}
	return fmt.Sprintf("State(%d)", int(s))
}
