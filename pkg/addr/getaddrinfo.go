package addr

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// Family is a socket address family.
type Family int

// The address families a host string can yield.
const (
	AFInet  Family = unix.AF_INET
	AFInet6 Family = unix.AF_INET6
)

// String returns the family's C name, "AF_INET" or "AF_INET6".
func (f Family) String() string {
	switch f {
	case AFInet:
		return "AF_INET"
	case AFInet6:
		return "AF_INET6"
	}
	return fmt.Sprintf("Family(%d)", int(f))
}

// AddrInfo is one result of getaddrinfo: an address family and a socket
// address. Port is always 0 here because no service is looked up.
type AddrInfo struct {
	Family Family
	// Addr is the host address. An IPv6 address keeps the zone it was
	// written with ("eth0" in fe80::1%eth0).
	Addr     netip.Addr
	Port     uint16
	FlowInfo uint32 // IPv6 only; getaddrinfo always sets 0
	ScopeID  uint32 // IPv6 only: the interface index of Addr's zone
}

// String formats a as Python prints getaddrinfo's family and sockaddr:
//
//	AF_INET ('192.0.2.244', 0)
//	AF_INET6 ('fe80::1%lo', 0, 0, 1)
func (a AddrInfo) String() string {
	if a.Family == AFInet {
		return fmt.Sprintf("%v ('%v', %d)", a.Family, a.Addr, a.Port)
	}
	return fmt.Sprintf("%v ('%v', %d, %d, %d)", a.Family, a.Addr, a.Port, a.FlowInfo, a.ScopeID)
}

// ParseNumericHost parses host as glibc's getaddrinfo does with the
// AI_NUMERICHOST flag, that is without looking any name up.
//
// An IPv4 host is any form [InetAtonExact] accepts, so "0xc000027b" is
// 192.0.2.123. An IPv6 host is standard IPv6 text, optionally followed by %
// and a zone. For a link-local address (fe80::/10, and multicast with
// interface- or link-local scope) a zone naming an interface becomes that
// interface's index; otherwise the zone must be a decimal index below 2³².
func ParseNumericHost(host string) (AddrInfo, error) {
	ai, _, err := parseNumericHost(host)
	return ai, err
}

// parseNumericHost is ParseNumericHost that also reports, when it fails,
// whether host is IPv6 text with a bad zone: glibc's getaddrinfo then gives
// up, where for other text it goes on to look host up as a name.
func parseNumericHost(host string) (ai AddrInfo, badZone bool, err error) {
	if b, err := InetAtonExact(host); err == nil {
		return AddrInfo{Family: AFInet, Addr: netip.AddrFrom4(b)}, false, nil
	}
	fail := func(badZone bool, msg string, err error) (AddrInfo, bool, error) {
		return AddrInfo{}, badZone, &ParseError{Func: "getaddrinfo", Input: host, Msg: msg, Err: err}
	}
	text, zone, scoped := strings.Cut(host, "%")
	// netip would also take IPv4 text and its own zone syntax; inet_pton
	// with AF_INET6, which glibc uses here, takes neither.
	if !strings.Contains(text, ":") {
		return fail(false, "not a numeric IPv4 or IPv6 address", nil)
	}
	ip, err := netip.ParseAddr(text)
	if err != nil || !ip.Is6() {
		return fail(false, "not a numeric IPv4 or IPv6 address", err)
	}
	ai = AddrInfo{Family: AFInet6, Addr: ip}
	if !scoped {
		return ai, false, nil
	}
	id, err := scopeID(ip, zone)
	if err != nil {
		return fail(true, err.Error(), err)
	}
	ai.Addr, ai.ScopeID = ip.WithZone(zone), id
	return ai, false, nil
}

// scopeID turns the zone of a scoped IPv6 address into an interface index,
// as glibc's __inet6_scopeid_pton does.
func scopeID(ip netip.Addr, zone string) (uint32, error) {
	b := ip.As16()
	linkLocal := b[0] == 0xfe && b[1]&0xc0 == 0x80
	mcLocal := b[0] == 0xff && (b[1]&0xf == 1 || b[1]&0xf == 2)
	if (linkLocal || mcLocal) && zone != "" {
		if index, err := ifNameToIndex(zone); err == nil && index > 0 {
			return index, nil
		}
	}
	want := "an interface of this host or a decimal interface index"
	if !linkLocal && !mcLocal {
		// Only link-scoped addresses may name their interface.
		want = "a decimal interface index (only link-local addresses take an interface name)"
	}
	if zone == "" || !isDigit(zone[0]) {
		return 0, fmt.Errorf("zone %q is not %s", zone, want)
	}
	n, err := strconv.ParseUint(zone, 10, 32)
	if errors.Is(err, strconv.ErrRange) {
		return 0, fmt.Errorf("zone %q is out of range: interface indexes are below 2^32", zone)
	}
	if err != nil {
		return 0, fmt.Errorf("zone %q is not %s", zone, want)
	}
	return uint32(n), nil
}

// Resolve returns the addresses of host the way getaddrinfo(host, NULL,
// &hints) with hints.ai_protocol = IPPROTO_TCP does: a numeric host (see
// [ParseNumericHost]) as itself, without any lookup, and a name through r,
// IPv6 results before IPv4 ones. A nil r means net.DefaultResolver.
//
// An error means what Python's socket.gaierror means: the host is neither an
// address nor a name that resolves.
func Resolve(ctx context.Context, r *net.Resolver, host string) ([]AddrInfo, error) {
	ai, badZone, err := parseNumericHost(host)
	if err == nil {
		return []AddrInfo{ai}, nil
	}
	if badZone {
		// Not a name to look up: Go's resolver would take the address and
		// drop the zone.
		return nil, err
	}
	if r == nil {
		r = net.DefaultResolver
	}
	ips, err := r.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, fmt.Errorf("addr: resolve %q: %w", host, err)
	}
	var v6, v4 []AddrInfo
	for _, ip := range ips {
		if ip.Is4() || ip.Is4In6() {
			v4 = append(v4, AddrInfo{Family: AFInet, Addr: ip.Unmap()})
			continue
		}
		v6 = append(v6, AddrInfo{Family: AFInet6, Addr: ip})
	}
	return append(v6, v4...), nil
}
