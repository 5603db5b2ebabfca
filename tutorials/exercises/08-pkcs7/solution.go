//go:build solution

package pkcs7

import (
	"bytes"
	"crypto/subtle"
	"fmt"
)

// Pad returns data followed by PKCS#7 padding to a multiple of blockSize.
func Pad(data []byte, blockSize int) []byte {
	if blockSize < 1 || blockSize > 255 {
		panic(fmt.Sprintf("pkcs7: block size %d outside 1..255", blockSize))
	}
	k := blockSize - len(data)%blockSize
	out := make([]byte, len(data), len(data)+k)
	copy(out, data)
	return append(out, bytes.Repeat([]byte{byte(k)}, k)...)
}

// Unpad checks and removes the PKCS#7 padding of data.
func Unpad(data []byte, blockSize int) ([]byte, error) {
	if blockSize < 1 || blockSize > 255 {
		return nil, fmt.Errorf("pkcs7: block size %d outside 1..255", blockSize)
	}
	if len(data) == 0 || len(data)%blockSize != 0 {
		return nil, fmt.Errorf("pkcs7: length %d is not a positive multiple of %d: %w", len(data), blockSize, ErrBadPadding)
	}
	k := int(data[len(data)-1])
	// Examine the last blockSize bytes whatever k is, so the work done does
	// not depend on the padding's value.
	good := subtle.ConstantTimeLessOrEq(1, k) & subtle.ConstantTimeLessOrEq(k, blockSize)
	tail := data[len(data)-blockSize:]
	for i, b := range tail {
		inPad := subtle.ConstantTimeLessOrEq(blockSize-k, i)
		same := subtle.ConstantTimeByteEq(b, byte(k))
		// Where inPad is 1, same must be 1.
		good &= subtle.ConstantTimeSelect(inPad, same, 1)
	}
	if good != 1 {
		return nil, fmt.Errorf("pkcs7: %w", ErrBadPadding)
	}
	return data[:len(data)-k], nil
}
