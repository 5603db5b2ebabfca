// Package snifftest builds throwaway network namespaces joined by a veth
// pair, so that tests can make and capture link-layer traffic, such as ARP,
// without touching the host's own networks.
//
// It needs Linux, root (CAP_SYS_ADMIN and CAP_NET_ADMIN) and the ip command
// of iproute2. Network namespaces exist only on Linux, so elsewhere the
// package is empty.
package snifftest
