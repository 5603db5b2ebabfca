package addr

import (
	"encoding/hex"
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseMAC(t *testing.T) {
	want := net.HardwareAddr{0x00, 0x11, 0x32, 0x3c, 0xc3, 0x0b}
	for _, in := range []string{
		"00:11:32:3c:c3:0b", "00-11-32-3C-C3-0B", "0011.323c.c30b", "0011323cc30b", "0011323CC30B",
	} {
		got, err := ParseMAC(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	assert.Equal(t, "0011323cc30b", hex.EncodeToString(want))
	assert.Equal(t, "00:11:32:3c:c3:0b", want.String())

	eui64, err := ParseMAC("0011323cc30b4455")
	require.NoError(t, err)
	assert.Len(t, eui64, 8)
}

func TestParseMACInvalid(t *testing.T) {
	for _, in := range []string{
		"", "00:11:32:3c:c3", "00:11:32:3c:c3:0b:", "00:11:32:3c:c3:0g", "0011323cc30", "0011323cc30g",
		"001132-3cc30b", "00:11-32:3c:c3:0b", "0011323cc30b00",
	} {
		_, err := ParseMAC(in)
		require.Error(t, err, in)
		var pe *ParseError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, in, pe.Input)
	}
}
