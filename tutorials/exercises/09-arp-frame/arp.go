//go:build !solution

package arpframe

import "errors"

// Parse decodes the ARP frame b, Ethernet header first.
func Parse(b []byte) (Frame, error) {
	return Frame{}, errors.ErrUnsupported // TODO
}

// String describes f as tcpdump does: "who-has 10.9.0.2 tell 10.9.0.1"
// for a request, "10.9.0.2 is-at da:cc:72:ba:8a:89" for a reply.
func (f Frame) String() string {
	return "" // TODO
}
