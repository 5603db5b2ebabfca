package sheet

import "encoding/binary"

// ByteOrder puts a port and an IPv4 address in network byte order
// (big-endian) and reads them back. Go has no htons: bytes on the wire are
// written in an order, whatever the host's own.
//
// Calls: binary.BigEndian.PutUint16, binary.BigEndian.Uint32
// Python: socket.htons, socket.htonl, socket.ntohs, socket.ntohl
func ByteOrder(port uint16, ip uint32) (uint16, uint32) {
	var wire [6]byte
	binary.BigEndian.PutUint16(wire[0:], port) // htons
	binary.BigEndian.PutUint32(wire[2:], ip)   // htonl
	return binary.BigEndian.Uint16(wire[0:]), binary.BigEndian.Uint32(wire[2:])
}
