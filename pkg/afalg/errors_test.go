package afalg

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

func TestErrorMapping(t *testing.T) {
	for _, c := range []struct {
		err         *Error
		unsupported bool
		text        string
	}{
		{&Error{"hash", "sha256", "socket", unix.EAFNOSUPPORT}, true,
			"AF_ALG hash sha256: socket: address family not supported by protocol (this kernel has no AF_ALG sockets)"},
		{&Error{"aead", "gcm(aes)", "bind", unix.ENOENT}, true,
			`AF_ALG aead gcm(aes): bind: no such file or directory (this kernel has no aead "gcm(aes)", or its algif_aead module is not loaded)`},
		{&Error{"hash", "whirlpool", "Go fallback", errNoGo}, true,
			"afalg hash whirlpool: Go fallback: no Go implementation of this algorithm"},
		{&Error{"skcipher", "cbc(aes)", "setsockopt ALG_SET_KEY", unix.EINVAL}, false,
			"AF_ALG skcipher cbc(aes): setsockopt ALG_SET_KEY: invalid argument"},
		// ENOENT from a later step is not a missing algorithm.
		{&Error{"aead", "gcm(aes)", "read", unix.ENOENT}, false, ""},
		{&Error{"hash", "sha256", "socket", unix.EMFILE}, false, ""},
	} {
		assert.Equal(t, c.unsupported, errors.Is(c.err, ErrUnsupported), "%v", c.err)
		assert.Equal(t, c.unsupported, errors.Is(c.err, errors.ErrUnsupported), "%v", c.err)
		assert.ErrorIs(t, c.err, c.err.Err, "unwraps to its cause")
		if c.text != "" {
			assert.Equal(t, c.text, c.err.Error())
		}
	}
	// Wrapped further, the errors still match.
	wrapped := errors.Join(errors.New("context"), &Error{"hash", "sha1", "socket", unix.EAFNOSUPPORT})
	assert.ErrorIs(t, wrapped, ErrUnsupported)
	assert.False(t, errors.Is(errors.New("x"), ErrUnsupported))
}

func TestCheckName(t *testing.T) {
	assert.NoError(t, checkName("aead", "gcm(aes)"))
	assert.NoError(t, checkName(strings.Repeat("t", 13), strings.Repeat("n", 63)))
	for _, c := range [][2]string{
		{"", "sha256"}, {"hash", ""},
		{strings.Repeat("t", 14), "sha256"}, {"hash", strings.Repeat("n", 64)},
		{"hash\x00", "sha256"}, {"hash", "sha\x00256"},
	} {
		err := checkName(c[0], c[1])
		require.Error(t, err, "%q %q", c[0], c[1])
		assert.Contains(t, err.Error(), "afalg: algorithm")
	}
	err := checkName("hash", strings.Repeat("n", 64))
	assert.EqualError(t, err, `afalg: algorithm name "`+strings.Repeat("n", 64)+`" is 64 bytes long, sockaddr_alg holds at most 63`)
}

func TestParseBackend(t *testing.T) {
	for _, b := range []Backend{Auto, Kernel, Go} {
		got, err := ParseBackend(b.String())
		require.NoError(t, err)
		assert.Equal(t, b, got)
		text, err := b.MarshalText()
		require.NoError(t, err)
		var back Backend
		require.NoError(t, back.UnmarshalText(text))
		assert.Equal(t, b, back, "text round trip of %s", text)
	}
	_, err := ParseBackend("openssl")
	assert.EqualError(t, err, `afalg: backend "openssl": want auto, kernel or go`)
	back := Kernel
	assert.EqualError(t, back.UnmarshalText([]byte("openssl")), `afalg: backend "openssl": want auto, kernel or go`)
	assert.Equal(t, Kernel, back, "a failed UnmarshalText leaves the Backend as it was")
	assert.Equal(t, "Backend(7)", Backend(7).String())
	_, err = NewGCM(Backend(7), make([]byte, 16), 16)
	assert.Error(t, err)
}

// chosen is what every constructor returns.
type chosen interface {
	Backend() Backend
	Fallback() error
	Close() error
}

// Whatever this kernel offers, the backend choice must be consistent with
// it: Kernel works or fails with a typed, named error, and Auto falls back
// only for such an error and says why.
func TestBackendChoice(t *testing.T) {
	for _, c := range []struct {
		typ, name string
		open      func(Backend) (chosen, error)
	}{
		{"hash", "sha256", func(b Backend) (chosen, error) {
			return NewHash(b, "sha256", nil)
		}},
		{"skcipher", "cbc(aes)", func(b Backend) (chosen, error) {
			return NewCBC(b, make([]byte, 16))
		}},
		{"aead", "gcm(aes)", func(b Backend) (chosen, error) {
			return NewGCM(b, make([]byte, 16), 16)
		}},
	} {
		probe, probeErr := openAlg(c.typ, c.name)
		if probeErr == nil {
			probe.close()
		}

		k, err := c.open(Kernel)
		if probeErr == nil {
			require.NoError(t, err, c.name)
			assert.Equal(t, Kernel, k.Backend())
			assert.NoError(t, k.Fallback())
			require.NoError(t, k.Close())
		} else {
			require.Error(t, err, c.name)
			assert.ErrorIs(t, err, ErrUnsupported)
			assert.ErrorIs(t, err, errors.ErrUnsupported)
			assert.Contains(t, err.Error(), "AF_ALG "+c.typ+" "+c.name+": ")
		}

		a, err := c.open(Auto)
		require.NoError(t, err, c.name)
		if probeErr == nil {
			assert.Equal(t, Kernel, a.Backend())
			assert.NoError(t, a.Fallback())
		} else {
			assert.Equal(t, Go, a.Backend())
			assert.ErrorIs(t, a.Fallback(), ErrUnsupported)
			assert.Equal(t, probeErr.Error(), a.Fallback().Error())
		}
		require.NoError(t, a.Close())

		g, err := c.open(Go)
		require.NoError(t, err)
		assert.Equal(t, Go, g.Backend())
		assert.NoError(t, g.Fallback())
		require.NoError(t, g.Close())
	}
}
