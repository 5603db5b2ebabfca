package sheet

import (
	"context"
	"net"
)

// Getaddrinfo resolves host to its addresses and names each one's family,
// as getaddrinfo(3) does. A numeric host is parsed, not looked up.
//
// Calls: net.DefaultResolver.LookupNetIP
// Python: socket.getaddrinfo
func Getaddrinfo(ctx context.Context, host string) ([]string, error) {
	ips, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, ip := range ips {
		family := "AF_INET6"
		if ip.Unmap().Is4() {
			family = "AF_INET"
		}
		out = append(out, family+" "+ip.String())
	}
	return out, nil
}
