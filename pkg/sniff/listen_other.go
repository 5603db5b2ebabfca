//go:build !linux

package sniff

import (
	"errors"
	"fmt"

	"golang.org/x/net/bpf"
)

// ListenIP needs Linux: it opens an AF_INET raw socket and attaches filter
// with SO_ATTACH_FILTER, which other kernels lack (the BSDs filter through
// /dev/bpf instead). Here it returns an error matching
// errors.ErrUnsupported; the decoders work everywhere.
func ListenIP(protocol int, filter []bpf.Instruction) (*Sniffer, error) {
	return nil, fmt.Errorf("sniff: listen for IP protocol %d: raw sockets with kernel filters need Linux: %w", protocol, errors.ErrUnsupported)
}

// ListenLink needs Linux: AF_PACKET sockets exist only there. Here it
// returns an error matching errors.ErrUnsupported; the decoders work
// everywhere.
func ListenLink(ifname string, etherType uint16, filter []bpf.Instruction) (*Sniffer, error) {
	return nil, fmt.Errorf("sniff: listen on interface %q for EtherType %#04x: AF_PACKET sockets need Linux: %w", ifname, etherType, errors.ErrUnsupported)
}
