package addr

import (
	"context"
	"net"
	"net/netip"
	"testing"

	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseNumericHost(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"192.0.2.244", "AF_INET ('192.0.2.244', 0)"},
		{"0xc000027b", "AF_INET ('192.0.2.123', 0)"},
		{"3221226198", "AF_INET ('192.0.2.214', 0)"},
		{"127.1", "AF_INET ('127.0.0.1', 0)"},
		{"2001:db8:f00d::1:d", "AF_INET6 ('2001:db8:f00d::1:d', 0, 0, 0)"},
		{"::ffff:192.0.2.128", "AF_INET6 ('::ffff:192.0.2.128', 0, 0, 0)"},
		{"fe80::1%lo", "AF_INET6 ('fe80::1%lo', 0, 0, 1)"},
		{"fe80::1%7", "AF_INET6 ('fe80::1%7', 0, 0, 7)"},
		{"ff02::1%lo", "AF_INET6 ('ff02::1%lo', 0, 0, 1)"},
		{"2001:db8::1%4294967295", "AF_INET6 ('2001:db8::1%4294967295', 0, 0, 4294967295)"},
	} {
		ai, err := ParseNumericHost(tc.in)
		require.NoError(t, err, "ParseNumericHost(%q)", tc.in)
		assert.Equal(t, tc.want, ai.String(), "ParseNumericHost(%q)", tc.in)
	}
}

func TestParseNumericHostInvalid(t *testing.T) {
	for _, in := range []string{
		"", "10.0.0.256", "1.2.3.4 junk", "localhost", "not-exist.example.com",
		"::ffff:1.2.3.04", "1::2::3", "fe80::1%", "fe80::1%no-such-interface",
		"2001:db8::1%lo", // only link-scoped addresses take an interface name
		"fe80::1%4294967296", "fe80::1%+1", "1.2.3.4%1", "[::1]",
	} {
		_, err := ParseNumericHost(in)
		require.Error(t, err, "ParseNumericHost(%q)", in)
		var pe *ParseError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, in, pe.Input)
		assert.Contains(t, err.Error(), "getaddrinfo")
	}
}

// The zone of a link-local address resolves the way if_nametoindex does,
// for every interface this host has.
func TestScopeIDOfEveryInterface(t *testing.T) {
	ifs, err := net.Interfaces()
	require.NoError(t, err)
	require.NotEmpty(t, ifs)
	for _, ifi := range ifs {
		ai, err := ParseNumericHost("fe80::1%" + ifi.Name)
		require.NoError(t, err, ifi.Name)
		assert.Equal(t, uint32(ifi.Index), ai.ScopeID, ifi.Name)
		assert.Equal(t, ifi.Name, ai.Addr.Zone())
	}
}

func TestResolve(t *testing.T) {
	testenv.CheckFDs(t)
	ctx := context.Background()
	r := HostsOnlyResolver()

	infos, err := Resolve(ctx, r, "localhost")
	require.NoError(t, err)
	assert.Contains(t, infos, AddrInfo{Family: AFInet, Addr: netip.MustParseAddr("127.0.0.1")})
	seen4 := false
	for _, ai := range infos {
		seen4 = seen4 || ai.Family == AFInet
		if ai.Family == AFInet6 {
			assert.False(t, seen4, "IPv6 results come before IPv4 ones: %v", infos)
			assert.True(t, ai.Addr.Is6())
		} else {
			assert.True(t, ai.Addr.Is4())
		}
	}

	infos, err = Resolve(ctx, r, "0xc000027b")
	require.NoError(t, err)
	assert.Equal(t, []AddrInfo{{Family: AFInet, Addr: netip.MustParseAddr("192.0.2.123")}}, infos)

	for _, host := range []string{"not-exist.example.com", "10.0.0.256", "2001:db8::1%lo", "fe80::1%no-such-interface", "fe80::1%"} {
		_, err = Resolve(ctx, r, host)
		require.Error(t, err, host)
		assert.Contains(t, err.Error(), host)
	}
}

func TestResolveCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Resolve(ctx, HostsOnlyResolver(), "not-exist.example.com")
	require.Error(t, err)
	// Numeric hosts need no lookup, so a dead context does not matter.
	_, err = Resolve(ctx, HostsOnlyResolver(), "192.0.2.1")
	require.NoError(t, err)
}

func TestFamilyString(t *testing.T) {
	assert.Equal(t, "AF_INET", AFInet.String())
	assert.Equal(t, "AF_INET6", AFInet6.String())
	assert.Equal(t, "Family(1)", Family(1).String())
}
