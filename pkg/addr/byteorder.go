package addr

import "encoding/binary"

// Network byte order is big-endian: the most significant byte of a port or
// an IPv4 address goes first on the wire. Host byte order is whatever the CPU
// uses. The C functions htons and friends exist to turn one into the other
// for integers stored in structs like sockaddr_in. In Go, encoding/binary
// does the job at the point where bytes meet integers, which is what these
// functions are built on; they are for code that, like C, keeps the network
// byte order in an integer.

// HostByteOrder returns this machine's byte order: binary.LittleEndian on
// amd64 and arm64, binary.BigEndian on s390x and the other big-endian CPUs.
func HostByteOrder() binary.ByteOrder {
	var b [2]byte
	binary.NativeEndian.PutUint16(b[:], 1)
	if b[0] == 1 {
		return binary.LittleEndian
	}
	return binary.BigEndian
}

// Htons converts x from host to network byte order: the result, stored in
// memory, holds x's big-endian bytes. On a little-endian host Htons(1) is
// 256; on a big-endian host it is 1.
func Htons(x uint16) uint16 { return swap16(binary.NativeEndian, x) }

// Ntohs converts x from network to host byte order. It undoes [Htons], and
// because reordering two bytes is its own inverse, it computes the same.
func Ntohs(x uint16) uint16 { return swap16(binary.NativeEndian, x) }

// Htonl converts x from host to network byte order. On a little-endian host
// Htonl(1) is 16777216 (1<<24); on a big-endian host it is 1.
func Htonl(x uint32) uint32 { return swap32(binary.NativeEndian, x) }

// Ntohl converts x from network to host byte order, undoing [Htonl].
func Ntohl(x uint32) uint32 { return swap32(binary.NativeEndian, x) }

// swap16 writes x in big-endian order and reads those bytes back in the
// host's order, which is a byte swap exactly when host is little-endian.
func swap16(host binary.ByteOrder, x uint16) uint16 {
	var b [2]byte
	binary.BigEndian.PutUint16(b[:], x)
	return host.Uint16(b[:])
}

func swap32(host binary.ByteOrder, x uint32) uint32 {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], x)
	return host.Uint32(b[:])
}
