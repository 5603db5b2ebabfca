//go:build solution

package ipv4

import (
	"encoding/binary"
	"fmt"
	"net/netip"
)

// Checksum returns the RFC 1071 Internet checksum of b.
func Checksum(b []byte) uint16 {
	var sum uint32
	for ; len(b) >= 2; b = b[2:] {
		sum += uint32(binary.BigEndian.Uint16(b))
	}
	if len(b) == 1 {
		sum += uint32(b[0]) << 8
	}
	for sum > 0xffff {
		sum = sum>>16 + sum&0xffff
	}
	return ^uint16(sum)
}

// Parse decodes and checks the IPv4 header at the start of b.
func Parse(b []byte) (Header, error) {
	var h Header
	if len(b) < 20 {
		return h, fmt.Errorf("ipv4: %d bytes, a header needs at least 20", len(b))
	}
	h.Version, h.IHL = b[0]>>4, b[0]&0x0f
	if h.Version != 4 {
		return h, fmt.Errorf("ipv4: version %d, want 4", h.Version)
	}
	hlen := int(h.IHL) * 4
	if h.IHL < 5 {
		return h, fmt.Errorf("ipv4: header length %d words < 5", h.IHL)
	}
	if hlen > len(b) {
		return h, fmt.Errorf("ipv4: header length %d bytes, only %d present", hlen, len(b))
	}
	h.TOS = b[1]
	h.TotalLen = binary.BigEndian.Uint16(b[2:])
	if int(h.TotalLen) < hlen || int(h.TotalLen) > len(b) {
		return h, fmt.Errorf("ipv4: total length %d outside header length %d .. %d bytes present", h.TotalLen, hlen, len(b))
	}
	h.ID = binary.BigEndian.Uint16(b[4:])
	flagsFrag := binary.BigEndian.Uint16(b[6:])
	h.DontFrag = flagsFrag&0x4000 != 0
	h.MoreFrag = flagsFrag&0x2000 != 0
	h.FragOff = flagsFrag & 0x1fff
	h.TTL, h.Protocol = b[8], b[9]
	h.Checksum = binary.BigEndian.Uint16(b[10:])
	if c := Checksum(b[:hlen]); c != 0 {
		return h, fmt.Errorf("ipv4: bad header checksum %#04x (the header sums to %#04x, not 0)", h.Checksum, c)
	}
	h.Src = netip.AddrFrom4([4]byte(b[12:16]))
	h.Dst = netip.AddrFrom4([4]byte(b[16:20]))
	h.Options = b[20:hlen]
	h.Payload = b[hlen:h.TotalLen]
	return h, nil
}
