//go:build solution

package hostsres

import (
	"bufio"
	"fmt"
	"io"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/sockbook/sockbook/pkg/addr"
)

// Hosts is a parsed hosts file.
type Hosts struct {
	addrs map[string][]netip.Addr // lower-case name → addresses in file order
}

// validName reports whether s is spelled as a host name may be.
func validName(s string) bool {
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_') {
			return false
		}
	}
	return s != ""
}

// Parse reads a hosts file: one address and its names per line.
func Parse(r io.Reader) (*Hosts, error) {
	h := &Hosts{addrs: map[string][]netip.Addr{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line, _, _ := strings.Cut(sc.Text(), "#")
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		a, err := netip.ParseAddr(f[0])
		if err != nil {
			return nil, fmt.Errorf("hosts line %d: address %q: %w", n, f[0], err)
		}
		if a.Zone() != "" {
			return nil, fmt.Errorf("hosts line %d: address %q: a zone names this machine's interface, not a host", n, f[0])
		}
		if len(f) == 1 {
			return nil, fmt.Errorf("hosts line %d: address %s has no name", n, f[0])
		}
		for _, name := range f[1:] {
			if !validName(name) {
				return nil, fmt.Errorf("hosts line %d: name %q: only letters, digits, '-', '.' and '_'", n, name)
			}
			key := strings.ToLower(name)
			if !slices.Contains(h.addrs[key], a) {
				h.addrs[key] = append(h.addrs[key], a)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("hosts: %w", err)
	}
	return h, nil
}

// family returns the family of a.
func family(a netip.Addr) addr.Family {
	if a.Is4() {
		return addr.AFInet
	}
	return addr.AFInet6
}

// hostAddrs returns the addresses host stands for, numeric or from h,
// before any family filter. A numeric host keeps its scope ID.
func (h *Hosts) hostAddrs(host string, numeric bool) ([]netip.Addr, map[netip.Addr]uint32, error) {
	if host == "" {
		return nil, nil, fmt.Errorf("lookup %q: %w", host, ErrNoName)
	}
	ai, err := addr.ParseNumericHost(host)
	if err == nil {
		return []netip.Addr{ai.Addr}, map[netip.Addr]uint32{ai.Addr: ai.ScopeID}, nil
	}
	// A colon or a percent sign cannot be in a name: this was meant as an
	// address and is a bad one, not a name to look up.
	if numeric || strings.ContainsAny(host, ":%") {
		return nil, nil, fmt.Errorf("lookup %q: %w: %w", host, ErrNoName, err)
	}
	if h == nil {
		return nil, nil, fmt.Errorf("lookup %q: %w (no hosts table)", host, ErrNoName)
	}
	as, ok := h.addrs[strings.ToLower(host)]
	if !ok {
		return nil, nil, fmt.Errorf("lookup %q: %w", host, ErrNoName)
	}
	return as, nil, nil
}

// Lookup returns the socket addresses of host and port, as getaddrinfo does.
func (h *Hosts) Lookup(host, port string, hints Hints) ([]Result, error) {
	if hints.Family != 0 && hints.Family != addr.AFInet && hints.Family != addr.AFInet6 {
		return nil, fmt.Errorf("lookup %q: address family %d: want 0, AF_INET or AF_INET6", host, int(hints.Family))
	}
	types := []SockType{SockStream, SockDgram}
	switch hints.SockType {
	case 0:
	case SockStream, SockDgram:
		types = []SockType{hints.SockType}
	default:
		return nil, fmt.Errorf("lookup %q: socket type %d: want 0, SOCK_STREAM or SOCK_DGRAM", host, int(hints.SockType))
	}
	var p uint64
	if port != "" {
		var err error
		if p, err = strconv.ParseUint(port, 10, 16); err != nil {
			return nil, fmt.Errorf("lookup %q port %q: %w", host, port, ErrService)
		}
	}
	as, scopes, err := h.hostAddrs(host, hints.NumericHost)
	if err != nil {
		return nil, err
	}
	var out []Result
	for _, a := range as {
		if hints.Family != 0 && family(a) != hints.Family {
			continue
		}
		for _, t := range types {
			out = append(out, Result{Family: family(a), SockType: t, Addr: netip.AddrPortFrom(a, uint16(p)), ScopeID: scopes[a]})
		}
	}
	if len(out) == 0 {
		// Only a family hint can filter every address out.
		return nil, fmt.Errorf("lookup %q as %v: %w", host, hints.Family, ErrNoAddress)
	}
	return out, nil
}

// IPv4 returns the first IPv4 address of name, as gethostbyname does.
func (h *Hosts) IPv4(name string) (netip.Addr, error) {
	rs, err := h.Lookup(name, "", Hints{Family: addr.AFInet, SockType: SockStream})
	if err != nil {
		return netip.Addr{}, err
	}
	return rs[0].Addr.Addr(), nil
}

// Self returns this machine's host name and its IPv4 address in h.
func (h *Hosts) Self() (string, netip.Addr, error) {
	name, err := os.Hostname()
	if err != nil {
		return "", netip.Addr{}, fmt.Errorf("host name: %w", err)
	}
	a, err := h.IPv4(name)
	if err != nil {
		return name, netip.Addr{}, fmt.Errorf("address of this host: %w", err)
	}
	return name, a, nil
}
