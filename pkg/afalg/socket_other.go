//go:build !linux

package afalg

// msgMore stands in for MSG_MORE, which only Linux defines. Without AF_ALG
// no operation socket is ever made, so nothing is sent with it.
const msgMore = 0

// openAlg checks typ and name as on Linux, then reports that this system
// has no AF_ALG sockets: an error matching ErrUnsupported, so that Auto
// falls back to Go.
func openAlg(typ, name string) (*algSocket, error) {
	if err := checkName(typ, name); err != nil {
		return nil, err
	}
	return nil, &Error{Type: typ, Name: name, Op: "socket", Err: errNoAFALG}
}

// setKey is never reached: openAlg makes no transformation socket here.
func (s *algSocket) setKey([]byte) error { return s.fail("setsockopt ALG_SET_KEY", errNoAFALG) }

// setAuthSize is never reached: openAlg makes no transformation socket here.
func (s *algSocket) setAuthSize(int) error {
	return s.fail("setsockopt ALG_SET_AEAD_AUTHSIZE", errNoAFALG)
}

// accept is never reached: openAlg makes no transformation socket here.
func (s *algSocket) accept() (*opSocket, error) { return nil, s.fail("accept", errNoAFALG) }

// readv is never reached: there are no operation sockets here.
func (o *opSocket) readv([][]byte) (int, error) { return 0, o.alg.fail("read", errNoAFALG) }

// control is never reached: its control messages start an operation on an
// operation socket, and there are none here.
func control(bool, []byte, bool, int) []byte { return nil }
