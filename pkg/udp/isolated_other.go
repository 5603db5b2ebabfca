//go:build !linux

package udp

// hostIsolated reports false: ENONET, the errno Linux gives an ICMP "host
// isolated" message, exists only there.
func hostIsolated(error) bool { return false }
