//go:build solution

// Package algcmsg builds the control messages that configure an AF_ALG cipher
// operation.
package algcmsg

import (
	"encoding/binary"
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"
)

// maxIV bounds the IV: no cipher the kernel offers needs more.
const maxIV = 64

// Control returns the SOL_ALG control messages for the first sendmsg of an
// operation: the direction, the IV when iv is not empty, and the length of
// the associated data when assocLen is positive.
func Control(op uint32, iv []byte, assocLen int) ([]byte, error) {
	if op != unix.ALG_OP_ENCRYPT && op != unix.ALG_OP_DECRYPT {
		return nil, fmt.Errorf("algcmsg: op %d is neither ALG_OP_ENCRYPT nor ALG_OP_DECRYPT", op)
	}
	if len(iv) > maxIV {
		return nil, fmt.Errorf("algcmsg: IV of %d bytes exceeds %d", len(iv), maxIV)
	}
	if assocLen < 0 || int64(assocLen) > 1<<32-1 {
		return nil, fmt.Errorf("algcmsg: associated data length %d out of range", assocLen)
	}

	var b []byte
	// The kernel reads these as C integers: host byte order.
	b = appendCmsg(b, unix.ALG_SET_OP, binary.NativeEndian.AppendUint32(nil, op))
	if len(iv) > 0 {
		ivData := binary.NativeEndian.AppendUint32(nil, uint32(len(iv)))
		b = appendCmsg(b, unix.ALG_SET_IV, append(ivData, iv...))
	}
	if assocLen > 0 {
		b = appendCmsg(b, unix.ALG_SET_AEAD_ASSOCLEN, binary.NativeEndian.AppendUint32(nil, uint32(assocLen)))
	}
	return b, nil
}

// appendCmsg appends one SOL_ALG control message carrying data, padded to the
// alignment the next header needs.
func appendCmsg(b []byte, typ int32, data []byte) []byte {
	off := len(b)
	b = append(b, make([]byte, unix.CmsgSpace(len(data)))...)
	h := (*unix.Cmsghdr)(unsafe.Pointer(&b[off]))
	h.Level = unix.SOL_ALG
	h.Type = typ
	h.SetLen(unix.CmsgLen(len(data)))
	copy(b[off+unix.CmsgLen(0):], data)
	return b
}
