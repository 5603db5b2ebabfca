package addr

import (
	"fmt"
	"strings"

	"golang.org/x/sys/unix"
)

// ifNameToIndex returns the index of the interface called name, as the C
// library's if_nametoindex does: with the SIOCGIFINDEX ioctl. The kernel
// ignores a colon and what follows in the name (a relic of eth0:1-style
// alias interfaces), so "lo:x" is lo; net.InterfaceByName would not find it.
func ifNameToIndex(name string) (uint32, error) {
	if strings.IndexByte(name, 0) >= 0 {
		return 0, fmt.Errorf("interface name %q contains a NUL byte", name)
	}
	ifr, err := unix.NewIfreq(name) // fails, like if_nametoindex, at IFNAMSIZ bytes
	if err != nil {
		return 0, fmt.Errorf("interface name %q: %w", name, err)
	}
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return 0, fmt.Errorf("socket for SIOCGIFINDEX: %w", err)
	}
	defer unix.Close(fd)
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFINDEX, ifr); err != nil {
		return 0, fmt.Errorf("interface %q: %w", name, err)
	}
	return ifr.Uint32(), nil
}
