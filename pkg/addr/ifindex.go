package addr

import (
	"fmt"
	"strings"
)

// ifNameToIndex returns the index of the interface called name, as the C
// library's if_nametoindex does. A C string ends at its first NUL byte, so
// a name with one would name another interface: it is refused here, before
// interfaceIndex asks the system.
func ifNameToIndex(name string) (uint32, error) {
	if strings.IndexByte(name, 0) >= 0 {
		return 0, fmt.Errorf("interface name %q contains a NUL byte", name)
	}
	return interfaceIndex(name)
}
