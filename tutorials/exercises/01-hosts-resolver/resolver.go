//go:build !solution

package hostsres

import (
	"errors"
	"io"
	"net/netip"
)

// Hosts is a parsed hosts file.
type Hosts struct {
	// TODO: what Lookup needs
}

// Parse reads a hosts file: one address and its names per line.
func Parse(r io.Reader) (*Hosts, error) {
	return nil, errors.ErrUnsupported // TODO: write me
}

// Lookup returns the socket addresses of host and port, as getaddrinfo does.
func (h *Hosts) Lookup(host, port string, hints Hints) ([]Result, error) {
	return nil, errors.ErrUnsupported // TODO: write me
}

// IPv4 returns the first IPv4 address of name, as gethostbyname does.
func (h *Hosts) IPv4(name string) (netip.Addr, error) {
	return netip.Addr{}, errors.ErrUnsupported // TODO: write me
}

// Self returns this machine's host name and its IPv4 address in h.
func (h *Hosts) Self() (string, netip.Addr, error) {
	return "", netip.Addr{}, errors.ErrUnsupported // TODO: write me
}
