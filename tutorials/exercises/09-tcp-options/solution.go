//go:build solution

package tcpopts

import (
	"encoding/binary"
	"fmt"
)

// OptionBytes returns the options part of the TCP header at the start of tcp.
func OptionBytes(tcp []byte) ([]byte, error) {
	if len(tcp) < 20 {
		return nil, fmt.Errorf("tcpopts: header of %d bytes, need at least 20", len(tcp))
	}
	off := int(tcp[12]>>4) * 4
	if off < 20 {
		return nil, fmt.Errorf("tcpopts: data offset %d words < 5", off/4)
	}
	if off > len(tcp) {
		return nil, fmt.Errorf("tcpopts: data offset says %d header bytes, only %d present", off, len(tcp))
	}
	return tcp[20:off], nil
}

// Option kinds, from IANA's TCP parameters registry.
const (
	kindEnd       = 0
	kindNOP       = 1
	kindMSS       = 2
	kindWScale    = 3
	kindSACKPerm  = 4
	kindSACK      = 5
	kindTimestamp = 8
)

// Parse decodes a TCP option list.
func Parse(opts []byte) (Options, error) {
	var o Options
	for i := 0; i < len(opts); {
		kind := opts[i]
		switch kind {
		case kindEnd:
			return o, nil
		case kindNOP:
			i++
			continue
		}
		if i+1 >= len(opts) {
			return o, fmt.Errorf("tcpopts: option kind %d at offset %d has no length byte", kind, i)
		}
		n := int(opts[i+1])
		if n < 2 || i+n > len(opts) {
			return o, fmt.Errorf("tcpopts: option kind %d at offset %d: length %d does not fit in %d bytes", kind, i, n, len(opts)-i)
		}
		v := opts[i+2 : i+n]
		bad := func() error {
			return fmt.Errorf("tcpopts: option kind %d at offset %d: wrong length %d", kind, i, n)
		}
		switch kind {
		case kindMSS:
			if n != 4 {
				return o, bad()
			}
			o.MSS, o.HasMSS = binary.BigEndian.Uint16(v), true
		case kindWScale:
			if n != 3 {
				return o, bad()
			}
			o.WindowScale, o.HasWindowScale = v[0], true
		case kindSACKPerm:
			if n != 2 {
				return o, bad()
			}
			o.SACKPermitted = true
		case kindSACK:
			if (n-2)%8 != 0 || n == 2 {
				return o, bad()
			}
			for j := 0; j < len(v); j += 8 {
				o.SACK = append(o.SACK, SACKBlock{binary.BigEndian.Uint32(v[j:]), binary.BigEndian.Uint32(v[j+4:])})
			}
		case kindTimestamp:
			if n != 10 {
				return o, bad()
			}
			o.TSval, o.TSecr, o.HasTimestamps = binary.BigEndian.Uint32(v), binary.BigEndian.Uint32(v[4:]), true
		}
		i += n
	}
	return o, nil
}
