// Package hostsres resolves host names the way getaddrinfo and
// gethostbyname do, from a hosts file alone: no name server is asked.
package hostsres

import (
	"errors"
	"net/netip"

	"github.com/sockbook/sockbook/pkg/addr"
	"golang.org/x/sys/unix"
)

// The errors a lookup wraps, named for their getaddrinfo counterparts.
var (
	ErrNoName    = errors.New("name or address not known")          // EAI_NONAME
	ErrNoAddress = errors.New("no address of the family asked for") // EAI_ADDRFAMILY
	ErrService   = errors.New("port is not a number 0 to 65535")    // EAI_SERVICE
)

// SockType is a socket type, as in getaddrinfo's ai_socktype.
type SockType int

// The socket types a lookup can yield.
const (
	SockStream SockType = unix.SOCK_STREAM
	SockDgram  SockType = unix.SOCK_DGRAM
)

// Hints narrow a lookup, as getaddrinfo's hints do. The zero value asks for
// every family and both socket types.
type Hints struct {
	Family      addr.Family // 0, addr.AFInet or addr.AFInet6
	SockType    SockType    // 0, SockStream or SockDgram
	NumericHost bool        // AI_NUMERICHOST: the host must be an address
}

// A Result is one socket address a lookup yields.
type Result struct {
	Family   addr.Family
	SockType SockType
	Addr     netip.AddrPort // an IPv6 address keeps its zone
	ScopeID  uint32         // IPv6: the interface index of the zone, else 0
}
