//go:build !linux

package addr

import (
	"fmt"
	"net"
	"strings"
)

// ifNameToIndex returns the index of the interface called name, as the C
// library's if_nametoindex does. There is no SIOCGIFINDEX ioctl here; the
// BSD C libraries search the interface list for the exact name, and so does
// net.InterfaceByName.
func ifNameToIndex(name string) (uint32, error) {
	if strings.IndexByte(name, 0) >= 0 {
		return 0, fmt.Errorf("interface name %q contains a NUL byte", name)
	}
	ifi, err := net.InterfaceByName(name)
	if err != nil {
		return 0, fmt.Errorf("interface %q: %w", name, err)
	}
	return uint32(ifi.Index), nil
}
