// Package mac parses and formats 48-bit MAC addresses in the four
// spellings programs print them in.
package mac

// Style says how Format spells an address.
type Style int

// The spellings of 00:11:32:3c:c3:0b.
const (
	Colon  Style = iota // 00:11:32:3c:c3:0b
	Hyphen              // 00-11-32-3c-c3-0b
	Dot                 // 0011.323c.c30b
	Bare                // 0011323cc30b
)
