//go:build !solution

package pkcs7

import "errors"

// Pad returns data followed by PKCS#7 padding to a multiple of blockSize.
func Pad(data []byte, blockSize int) []byte {
	return data // TODO
}

// Unpad checks and removes the PKCS#7 padding of data.
func Unpad(data []byte, blockSize int) ([]byte, error) {
	return nil, errors.ErrUnsupported // TODO
}
