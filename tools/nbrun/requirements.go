package nbrun

import (
	"fmt"
	"net"
	"os"
	"runtime"
	"sort"
	"strings"

	"golang.org/x/sys/unix"
)

// Requirements lists what a cell may require, and how to check this
// machine for it. Each check returns "" when the requirement is met, or
// why not.
func Requirements() map[string]func() string {
	return map[string]func() string{
		"linux": func() string {
			if runtime.GOOS != "linux" {
				return "runs on " + runtime.GOOS + ", not Linux"
			}
			return ""
		},
		"root": func() string {
			if os.Geteuid() != 0 {
				return "not running as root (raw sockets need root or CAP_NET_RAW)"
			}
			return ""
		},
		"ipv6": func() string {
			ln, err := net.Listen("tcp6", "[::1]:0")
			if err != nil {
				return "no IPv6 loopback: " + err.Error()
			}
			ln.Close()
			return ""
		},
		"afalg": func() string {
			fd, err := unix.Socket(unix.AF_ALG, unix.SOCK_SEQPACKET|unix.SOCK_CLOEXEC, 0)
			if err != nil {
				return "the kernel offers no AF_ALG sockets: " + err.Error()
			}
			unix.Close(fd)
			return ""
		},
	}
}

// unmet checks names against checks and returns the unmet ones and why,
// or "" when all are met. An unknown name is an error in the notebook.
func unmet(names []string, checks map[string]func() string) (string, []string, error) {
	var reasons, missing []string
	for _, n := range names {
		check, ok := checks[n]
		if !ok {
			known := make([]string, 0, len(checks))
			for k := range checks {
				known = append(known, k)
			}
			sort.Strings(known)
			return "", nil, fmt.Errorf("unknown requirement %q (known: %s)", n, strings.Join(known, ", "))
		}
		if why := check(); why != "" {
			reasons = append(reasons, n+": "+why)
			missing = append(missing, n)
		}
	}
	return strings.Join(reasons, "; "), missing, nil
}
