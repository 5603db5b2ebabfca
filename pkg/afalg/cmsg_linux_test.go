package afalg

import (
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// wantCmsg lays out one control message by hand from the uapi structs:
//
//	struct cmsghdr { size_t cmsg_len; int cmsg_level; int cmsg_type; };
//
// followed by the data and zero padding to the next size_t boundary.
func wantCmsg(typ uint32, data []byte) []byte {
	lenSize := unix.SizeofCmsghdr - 8 // size_t: 8 bytes on 64-bit, 4 on 32-bit
	var b []byte
	n := uint64(unix.SizeofCmsghdr + len(data))
	if lenSize == 8 {
		b = binary.NativeEndian.AppendUint64(b, n)
	} else {
		b = binary.NativeEndian.AppendUint32(b, uint32(n))
	}
	b = binary.NativeEndian.AppendUint32(b, 279) // SOL_ALG in linux/socket.h
	b = binary.NativeEndian.AppendUint32(b, typ)
	b = append(b, data...)
	for len(b)%lenSize != 0 {
		b = append(b, 0)
	}
	return b
}

func u32(v uint32) []byte { return binary.NativeEndian.AppendUint32(nil, v) }

func TestControlLayout(t *testing.T) {
	// Values from linux/if_alg.h, written out so that a wrong constant in
	// x/sys would show too.
	const (
		setIV       = 2
		setOp       = 3
		setAssocLen = 4
		opDecrypt   = 0
		opEncrypt   = 1
	)
	iv16 := []byte("0123456789abcdef")
	nonce := []byte("nonce-12byte")

	var want []byte
	want = append(want, wantCmsg(setOp, u32(opEncrypt))...)
	want = append(want, wantCmsg(setIV, append(u32(16), iv16...))...)
	assert.Equal(t, want, control(true, iv16, false, 0), "skcipher encrypt")

	want = nil
	want = append(want, wantCmsg(setOp, u32(opDecrypt))...)
	want = append(want, wantCmsg(setIV, append(u32(12), nonce...))...)
	want = append(want, wantCmsg(setAssocLen, u32(0x01020304))...)
	assert.Equal(t, want, control(false, nonce, true, 0x01020304), "aead decrypt")

	if unix.SizeofCmsghdr == 16 {
		// On 64-bit Linux: op 16+4 -> 24, iv 16+4+16=36 -> 40, assoclen 24.
		assert.Len(t, control(true, iv16, true, 0), 24+40+24)
	}
}

// The kernel walks control messages with CMSG_NXTHDR; the standard parser
// must see the same three messages.
func TestControlParses(t *testing.T) {
	msgs, err := unix.ParseSocketControlMessage(control(true, []byte("nonce-12byte"), true, 16))
	require.NoError(t, err)
	require.Len(t, msgs, 3)
	for _, m := range msgs {
		assert.Equal(t, int32(unix.SOL_ALG), m.Header.Level)
	}
	assert.Equal(t, int32(unix.ALG_SET_OP), msgs[0].Header.Type)
	assert.Equal(t, u32(unix.ALG_OP_ENCRYPT), msgs[0].Data)
	assert.Equal(t, int32(unix.ALG_SET_IV), msgs[1].Header.Type)
	assert.Equal(t, append(u32(12), "nonce-12byte"...), msgs[1].Data)
	assert.Equal(t, int32(unix.ALG_SET_AEAD_ASSOCLEN), msgs[2].Header.Type)
	assert.Equal(t, u32(16), msgs[2].Data)
}
