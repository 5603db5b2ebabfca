package sheet

import (
	"encoding/hex"
	"net"
)

// MACAddress turns a colon-separated MAC address into its six bytes, and
// those into bare hex.
//
// Calls: net.ParseMAC, hex.EncodeToString
// Python: binascii.unhexlify, binascii.hexlify
func MACAddress(s string) (net.HardwareAddr, string, error) {
	mac, err := net.ParseMAC(s)
	if err != nil {
		return nil, "", err
	}
	return mac, hex.EncodeToString(mac), nil
}
