package addr

import (
	"encoding/hex"
	"net"
)

// ParseMAC parses a link-layer address: a 48-bit MAC address, or the 64-bit
// EUI-64 and 20-byte InfiniBand forms.
//
// It accepts what net.ParseMAC accepts — hex byte pairs separated by colons
// or hyphens (00:11:32:3c:c3:0b, 00-11-32-3C-C3-0B) and groups of four hex
// digits separated by dots (0011.323c.c30b) — and, in addition, bare hex
// digits (0011323cc30b), the form the bytes are hexlified into. The reverse
// conversions need no helper: hex.EncodeToString gives the bare hex, and
// net.HardwareAddr's String method the colon form.
func ParseMAC(s string) (net.HardwareAddr, error) {
	hw, err := net.ParseMAC(s)
	if err == nil {
		return hw, nil
	}
	switch len(s) {
	case 2 * 6, 2 * 8, 2 * 20:
		if b, herr := hex.DecodeString(s); herr == nil {
			return net.HardwareAddr(b), nil
		}
	}
	return nil, &ParseError{
		Func:  "MAC address",
		Input: s,
		Msg:   "want 6, 8 or 20 hex byte pairs, bare or separated by ':' or '-', or 4-digit groups separated by '.'",
		Err:   err,
	}
}
