package addr

import (
	"context"
	"net/netip"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLookupIPv4(t *testing.T) {
	ctx := context.Background()
	r := HostsOnlyResolver()

	ip, err := LookupIPv4(ctx, r, "localhost")
	require.NoError(t, err)
	assert.Equal(t, netip.MustParseAddr("127.0.0.1"), ip)

	ip, err = LookupIPv4(ctx, r, "3221226198")
	require.NoError(t, err)
	assert.Equal(t, netip.MustParseAddr("192.0.2.214"), ip)

	_, err = LookupIPv4(ctx, r, "not-exist.example.com")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"not-exist.example.com"`)
}

// The host's own name resolves wherever the hosts file lists it; either way
// the answer is an IPv4 address or an error naming it.
func TestLookupIPv4Hostname(t *testing.T) {
	name, err := os.Hostname()
	require.NoError(t, err)
	require.NotEmpty(t, name)
	ip, err := LookupIPv4(context.Background(), HostsOnlyResolver(), name)
	if err != nil {
		assert.Contains(t, err.Error(), name)
		t.Logf("%s is not in the hosts file: %v", name, err)
		return
	}
	assert.True(t, ip.Is4(), "%v", ip)
}
