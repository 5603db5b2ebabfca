//go:build !solution

package mac

import "errors"

// Parse reads a MAC address in one of the four spellings of Style.
func Parse(s string) ([6]byte, error) {
	return [6]byte{}, errors.ErrUnsupported // TODO: write me
}

// Format spells mac in style, in lower case.
func Format(mac [6]byte, style Style) (string, error) {
	return "", errors.ErrUnsupported // TODO: write me
}
