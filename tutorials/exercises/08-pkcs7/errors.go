// Package pkcs7 pads and unpads data to a multiple of a cipher's block size.
package pkcs7

import "errors"

// ErrBadPadding reports that data does not end in valid PKCS#7 padding.
var ErrBadPadding = errors.New("invalid PKCS#7 padding")
