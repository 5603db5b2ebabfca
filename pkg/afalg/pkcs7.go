package afalg

import "crypto/subtle"

// pad appends PKCS#7 padding (RFC 5652, section 6.3) to a copy of b: n
// bytes of value n, 1 <= n <= blockSize, so that the length is a multiple of
// blockSize. A whole block is added when b is already a multiple, so that
// unpadding is never ambiguous.
func pad(b []byte, blockSize int) []byte {
	n := blockSize - len(b)%blockSize
	out := make([]byte, len(b)+n)
	copy(out, b)
	for i := len(b); i < len(out); i++ {
		out[i] = byte(n)
	}
	return out
}

// unpad returns b without its PKCS#7 padding, or ErrPadding. It looks at
// the same bytes whatever the padding is, so its timing tells an attacker
// little about where the padding went wrong.
func unpad(b []byte, blockSize int) ([]byte, error) {
	if len(b) == 0 || len(b)%blockSize != 0 {
		return nil, ErrPadding
	}
	n := int(b[len(b)-1])
	// good stays 1 while the padding is valid; every check is folded in
	// without branching on secret data.
	good := subtle.ConstantTimeLessOrEq(1, n) & subtle.ConstantTimeLessOrEq(n, blockSize)
	tail := b[len(b)-blockSize:]
	for i := range blockSize {
		// Byte i of the last block is padding when i >= blockSize-n.
		isPad := subtle.ConstantTimeLessOrEq(blockSize-n, i)
		match := subtle.ConstantTimeByteEq(tail[i], byte(n))
		good &= subtle.ConstantTimeSelect(isPad, match, 1)
	}
	if good != 1 {
		return nil, ErrPadding
	}
	return b[:len(b)-n], nil
}
