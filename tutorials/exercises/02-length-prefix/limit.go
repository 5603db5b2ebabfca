// Package frame sends messages over a byte stream with a 4-byte length prefix.
package frame

// MaxFrame is the largest message WriteFrame sends and ReadFrame accepts.
const MaxFrame = 1 << 20
