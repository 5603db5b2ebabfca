//go:build !solution

// Package pkcs7 pads and unpads data to a multiple of a cipher's block size.
package pkcs7

import "errors"

// ErrBadPadding reports that data does not end in valid PKCS#7 padding.
var ErrBadPadding = errors.New("invalid PKCS#7 padding")

// Pad returns data followed by PKCS#7 padding to a multiple of blockSize.
func Pad(data []byte, blockSize int) []byte {
	return data // TODO
}

// Unpad checks and removes the PKCS#7 padding of data.
func Unpad(data []byte, blockSize int) ([]byte, error) {
	return nil, errors.ErrUnsupported // TODO
}
