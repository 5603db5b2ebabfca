//go:build solution

package mac

import (
	"encoding/hex"
	"fmt"
	"strings"
)

// Parse reads a MAC address in one of the four spellings of Style.
func Parse(s string) ([6]byte, error) {
	var mac [6]byte
	seps := 0
	sep := ""
	for _, c := range []string{":", "-", "."} {
		if strings.Contains(s, c) {
			seps++
			sep = c
		}
	}
	var groups []string
	var want, width int
	switch {
	case seps > 1:
		return mac, fmt.Errorf("mac: parse %q: mixed separators", s)
	case sep == "":
		groups, want, width = []string{s}, 1, 12
	case sep == ".":
		groups, want, width = strings.Split(s, sep), 3, 4
	default:
		groups, want, width = strings.Split(s, sep), 6, 2
	}
	if len(groups) != want {
		return mac, fmt.Errorf("mac: parse %q: %d groups, want %d", s, len(groups), want)
	}
	i := 0
	for n, g := range groups {
		if len(g) != width {
			return mac, fmt.Errorf("mac: parse %q: group %d is %q, want %d hex digits", s, n+1, g, width)
		}
		b, err := hex.DecodeString(g)
		if err != nil {
			return mac, fmt.Errorf("mac: parse %q: group %d %q is not hex", s, n+1, g)
		}
		i += copy(mac[i:], b)
	}
	return mac, nil
}

// Format spells mac in style, in lower case.
func Format(mac [6]byte, style Style) (string, error) {
	h := hex.EncodeToString(mac[:])
	switch style {
	case Bare:
		return h, nil
	case Dot:
		return h[0:4] + "." + h[4:8] + "." + h[8:12], nil
	case Colon, Hyphen:
		sep := ":"
		if style == Hyphen {
			sep = "-"
		}
		pairs := make([]string, 6)
		for i := range pairs {
			pairs[i] = h[2*i : 2*i+2]
		}
		return strings.Join(pairs, sep), nil
	}
	return "", fmt.Errorf("mac: format %s: unknown style %d", h, int(style))
}
