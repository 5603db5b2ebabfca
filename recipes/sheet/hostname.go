package sheet

import (
	"net"
	"os"
)

// Hostname returns the machine's name and the addresses it resolves to.
//
// Calls: os.Hostname, net.LookupHost
// Python: socket.gethostname, socket.gethostbyname
func Hostname() (string, []string, error) {
	name, err := os.Hostname()
	if err != nil {
		return "", nil, err
	}
	addrs, err := net.LookupHost(name)
	return name, addrs, err
}
