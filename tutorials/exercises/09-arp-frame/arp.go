//go:build !solution

// Package arpframe decodes ARP frames: an Ethernet II header carrying an
// ARP packet for IPv4 over Ethernet.
package arpframe

import (
	"errors"
	"net/netip"
)

// ARP operations.
const (
	Request = 1
	Reply   = 2
)

// Frame is a decoded ARP frame.
type Frame struct {
	Dst, Src  [6]byte // the Ethernet addresses
	Op        uint16  // Request or Reply
	SenderMAC [6]byte
	SenderIP  netip.Addr
	TargetMAC [6]byte
	TargetIP  netip.Addr
}

// Parse decodes the ARP frame b, Ethernet header first.
func Parse(b []byte) (Frame, error) {
	return Frame{}, errors.ErrUnsupported // TODO
}

// String describes f as tcpdump does: "who-has 10.9.0.2 tell 10.9.0.1"
// for a request, "10.9.0.2 is-at da:cc:72:ba:8a:89" for a reply.
func (f Frame) String() string {
	return "" // TODO
}
