package addr

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInetAton(t *testing.T) {
	for _, tc := range []struct {
		in    string
		want  [4]byte
		exact bool // InetAtonExact accepts it too
	}{
		{"127.0.0.1", [4]byte{127, 0, 0, 1}, true},
		{"192.0.2.244", [4]byte{192, 0, 2, 244}, true},
		{"0xc000027b", [4]byte{192, 0, 2, 123}, true},
		{"0XC000027B", [4]byte{192, 0, 2, 123}, true},
		{"3221226198", [4]byte{192, 0, 2, 214}, true},
		{"030000001326", [4]byte{192, 0, 2, 214}, true},
		{"127.1", [4]byte{127, 0, 0, 1}, true},
		{"10.1.258", [4]byte{10, 1, 1, 2}, true},
		{"10.0x10203", [4]byte{10, 1, 2, 3}, true},
		{"0x7f.0.0.01", [4]byte{127, 0, 0, 1}, true},
		{"0377.0xff.255.0", [4]byte{255, 255, 255, 0}, true},
		{"0", [4]byte{}, true},
		{"00000000000000000000000000000010", [4]byte{0, 0, 0, 8}, true},
		{"4294967295", [4]byte{255, 255, 255, 255}, true},
		{"1.2.3.4 junk", [4]byte{1, 2, 3, 4}, false},
		{"1.2.3.4\t", [4]byte{1, 2, 3, 4}, false},
		{"1.2.3.4\vjunk", [4]byte{1, 2, 3, 4}, false},
	} {
		got, err := InetAton(tc.in)
		require.NoError(t, err, "InetAton(%q)", tc.in)
		assert.Equal(t, tc.want, got, "InetAton(%q)", tc.in)
		got, err = InetAtonExact(tc.in)
		if tc.exact {
			require.NoError(t, err, "InetAtonExact(%q)", tc.in)
			assert.Equal(t, tc.want, got, "InetAtonExact(%q)", tc.in)
		} else {
			assert.Error(t, err, "InetAtonExact(%q)", tc.in)
		}
	}
}

func TestInetAtonInvalid(t *testing.T) {
	for _, tc := range []struct{ in, msg string }{
		{"", "empty address"},
		{"10.0.0.256", "part 4 (256) is greater than 255"},
		{"1.16777216", "part 2 (16777216) is greater than 16777215"},
		{"256.1", "part 1 (256) is greater than 255"},
		{"4294967296", "part 1 (4294967296) does not fit in 32 bits"},
		{"99999999999999999999999", "does not fit in 32 bits"},
		{"1.2.3.4.5", "more than 4 parts"},
		{"1..2", "part 2 starts with '.', not a digit"},
		{"1.2.3.", "part 4 is empty"},
		{" 1.2.3.4", "part 1 starts with ' ', not a digit"},
		{"+1", "part 1 starts with '+', not a digit"},
		{"0x", "unexpected 'x' after part 1"},
		{"08", "unexpected '8' after part 1"},
		{"1.2.3.4junk", "unexpected 'j' after part 4"},
		{"1.2.3.4\x00", "unexpected '\\x00' after part 4"},
		{"1.2.3.4%lo", "unexpected '%' after part 4"},
	} {
		_, err := InetAton(tc.in)
		require.Error(t, err, "InetAton(%q)", tc.in)
		var pe *ParseError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, tc.in, pe.Input)
		assert.Contains(t, err.Error(), tc.msg, "InetAton(%q)", tc.in)
		_, err = InetAtonExact(tc.in)
		assert.Error(t, err, "InetAtonExact(%q)", tc.in)
	}
}

func TestInetNtoa(t *testing.T) {
	assert.Equal(t, "127.0.0.1", InetNtoa([4]byte{127, 0, 0, 1}))
	assert.Equal(t, "255.255.255.255", InetNtoa([4]byte{255, 255, 255, 255}))
	for _, b := range [][4]byte{{}, {1, 2, 3, 4}, {192, 0, 2, 214}} {
		got, err := InetAtonExact(InetNtoa(b))
		require.NoError(t, err)
		assert.Equal(t, b, got)
	}
}

func BenchmarkInetAton(b *testing.B) {
	for _, s := range []string{"192.0.2.244", "0xc000027b", "0300.0.02.0364"} {
		b.Run(s, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				if _, err := InetAton(s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
