package addr

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
)

// errNoDNS is what a HostsOnlyResolver's dialer returns instead of a
// connection to a name server.
var errNoDNS = errors.New("DNS is off: hosts-only resolver")

// HostsOnlyResolver returns a resolver that answers from the hosts file
// (/etc/hosts) and never sends a packet: where the hosts file has no answer
// it fails at once instead of asking a name server. Tests and examples use
// it to resolve localhost the same way on a machine with no network.
func HostsOnlyResolver() *net.Resolver {
	return &net.Resolver{
		PreferGo: true, // the cgo resolver would not use Dial
		Dial: func(ctx context.Context, network, address string) (net.Conn, error) {
			return nil, errNoDNS
		},
	}
}

// LookupIPv4 returns the first IPv4 address of name, like the C library's
// gethostbyname, which knows nothing of IPv6. Numeric names are parsed as
// [InetAtonExact] does, without a lookup. A nil r means net.DefaultResolver.
func LookupIPv4(ctx context.Context, r *net.Resolver, name string) (netip.Addr, error) {
	if b, err := InetAtonExact(name); err == nil {
		return netip.AddrFrom4(b), nil
	}
	if r == nil {
		r = net.DefaultResolver
	}
	ips, err := r.LookupNetIP(ctx, "ip4", name)
	if err != nil {
		return netip.Addr{}, fmt.Errorf("addr: look up IPv4 address of %q: %w", name, err)
	}
	if len(ips) == 0 {
		return netip.Addr{}, fmt.Errorf("addr: look up IPv4 address of %q: no IPv4 address", name)
	}
	return ips[0].Unmap(), nil
}
