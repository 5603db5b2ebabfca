package afalg

import (
	"encoding/binary"
	"unsafe"

	"golang.org/x/sys/unix"
)

// control returns the control messages that start a cipher operation, laid
// out as a sequence of cmsghdr as the kernel's af_alg_cmsg_send reads them:
//
//	ALG_SET_OP             __u32 op (ALG_OP_ENCRYPT or ALG_OP_DECRYPT)
//	ALG_SET_IV             struct af_alg_iv { __u32 ivlen; __u8 iv[ivlen]; }
//	ALG_SET_AEAD_ASSOCLEN  __u32 assoclen, only when aead is true
//
// all at level SOL_ALG, in host byte order.
func control(encrypt bool, iv []byte, aead bool, assocLen int) []byte {
	op := uint32(unix.ALG_OP_DECRYPT)
	if encrypt {
		op = unix.ALG_OP_ENCRYPT
	}
	size := unix.CmsgSpace(4) + unix.CmsgSpace(4+len(iv))
	if aead {
		size += unix.CmsgSpace(4)
	}
	b := make([]byte, size)
	rest := putCmsg(b, unix.ALG_SET_OP, binary.NativeEndian.AppendUint32(nil, op))
	ivData := binary.NativeEndian.AppendUint32(make([]byte, 0, 4+len(iv)), uint32(len(iv)))
	rest = putCmsg(rest, unix.ALG_SET_IV, append(ivData, iv...))
	if aead {
		putCmsg(rest, unix.ALG_SET_AEAD_ASSOCLEN, binary.NativeEndian.AppendUint32(nil, uint32(assocLen)))
	}
	return b
}

// putCmsg writes one SOL_ALG control message of type typ carrying data at
// the start of b and returns the rest of b, past the message's padding.
func putCmsg(b []byte, typ int32, data []byte) []byte {
	h := (*unix.Cmsghdr)(unsafe.Pointer(&b[0]))
	h.Level = unix.SOL_ALG
	h.Type = typ
	h.SetLen(unix.CmsgLen(len(data)))
	copy(b[unix.CmsgLen(0):], data)
	return b[unix.CmsgSpace(len(data)):]
}
