package sheet

import (
	"fmt"
	"net/netip"
)

// InetAton turns a dotted quad into its four bytes and back.
//
// Calls: netip.ParseAddr, netip.AddrFrom4
// Python: socket.inet_aton, socket.inet_ntoa
func InetAton(s string) ([4]byte, string, error) {
	ip, err := netip.ParseAddr(s)
	if err != nil {
		return [4]byte{}, "", err
	}
	if !ip.Is4() {
		return [4]byte{}, "", fmt.Errorf("%q is not an IPv4 address", s)
	}
	b := ip.As4()
	return b, netip.AddrFrom4(b).String(), nil
}
