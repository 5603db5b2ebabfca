package addr

import (
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The conversions are tested for both byte orders, whichever this host has.
func TestSwap(t *testing.T) {
	assert.Equal(t, uint16(256), swap16(binary.LittleEndian, 1))
	assert.Equal(t, uint16(1), swap16(binary.BigEndian, 1))
	assert.Equal(t, uint16(0x3412), swap16(binary.LittleEndian, 0x1234))
	assert.Equal(t, uint32(16777216), swap32(binary.LittleEndian, 1))
	assert.Equal(t, uint32(1), swap32(binary.BigEndian, 1))
	assert.Equal(t, uint32(0x78563412), swap32(binary.LittleEndian, 0x12345678))
	assert.Equal(t, uint32(0x12345678), swap32(binary.BigEndian, 0x12345678))
}

func TestHostOrder(t *testing.T) {
	host := HostByteOrder()
	var b [4]byte
	binary.NativeEndian.PutUint32(b[:], 0x01020304)
	assert.Equal(t, uint32(0x01020304), host.Uint32(b[:]), "HostByteOrder is %v", host)

	// Htonl(x), stored in the host's order, lays out x's big-endian bytes.
	for _, x := range []uint32{0, 1, 0x01020304, 0xffffffff, 0xc000027b} {
		host.PutUint32(b[:], Htonl(x))
		assert.Equal(t, binary.BigEndian.AppendUint32(nil, x), b[:], "Htonl(%#x)", x)
		assert.Equal(t, x, Ntohl(Htonl(x)))
	}
	for _, x := range []uint16{0, 1, 0x0102, 5566, 0xffff} {
		var s [2]byte
		host.PutUint16(s[:], Htons(x))
		assert.Equal(t, binary.BigEndian.AppendUint16(nil, x), s[:], "Htons(%#x)", x)
		assert.Equal(t, x, Ntohs(Htons(x)))
	}
	if host == binary.LittleEndian {
		assert.Equal(t, uint16(256), Htons(1))
		assert.Equal(t, uint32(16777216), Htonl(1))
	} else {
		assert.Equal(t, uint16(1), Htons(1))
		assert.Equal(t, uint32(1), Htonl(1))
	}
}

func BenchmarkHtonl(b *testing.B) {
	var sink uint32
	for i := range b.N {
		sink += Htonl(uint32(i))
	}
	_ = sink
}
