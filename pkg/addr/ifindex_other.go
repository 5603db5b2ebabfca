//go:build !linux

package addr

import (
	"fmt"
	"net"
)

// interfaceIndex returns the index of the interface called name. There is
// no SIOCGIFINDEX ioctl here; the BSD C libraries search the interface list
// for the exact name, and so does net.InterfaceByName.
func interfaceIndex(name string) (uint32, error) {
	ifi, err := net.InterfaceByName(name)
	if err != nil {
		return 0, fmt.Errorf("interface %q: %w", name, err)
	}
	return uint32(ifi.Index), nil
}
