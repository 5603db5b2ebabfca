// Package arpframe decodes ARP frames: an Ethernet II header carrying an
// ARP packet for IPv4 over Ethernet.
package arpframe

import "net/netip"

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
