package addr

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// interfaceIndex returns the index of the interface called name the way
// glibc's if_nametoindex finds it: with the SIOCGIFINDEX ioctl. The kernel
// ignores a colon and what follows in the name (a relic of eth0:1-style
// alias interfaces), so "lo:x" is lo; net.InterfaceByName would not find it.
func interfaceIndex(name string) (uint32, error) {
	ifr, err := unix.NewIfreq(name) // fails, like if_nametoindex, at IFNAMSIZ bytes
	if err != nil {
		return 0, fmt.Errorf("interface name %q: %w", name, err)
	}
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return 0, os.NewSyscallError("socket", err)
	}
	defer unix.Close(fd)
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFINDEX, ifr); err != nil {
		return 0, fmt.Errorf("interface %q: %w", name, os.NewSyscallError("ioctl SIOCGIFINDEX", err))
	}
	return ifr.Uint32(), nil
}
