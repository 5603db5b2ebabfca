package echotest

import (
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// RaiseFDLimit raises the soft limit on open descriptors to want, or
// keeps it when it is already higher, and restores it when t ends. It
// skips t when even the hard limit is below want.
func RaiseFDLimit(t testing.TB, want uint64) {
	t.Helper()
	var old unix.Rlimit
	require.NoError(t, unix.Getrlimit(unix.RLIMIT_NOFILE, &old))
	if uint64(old.Cur) >= want {
		return
	}
	if uint64(old.Max) < want {
		t.Skipf("needs %d descriptors; the hard limit is %d", want, old.Max)
	}
	raised := old
	set(&raised.Cur, want)
	require.NoError(t, unix.Setrlimit(unix.RLIMIT_NOFILE, &raised))
	t.Cleanup(func() { _ = unix.Setrlimit(unix.RLIMIT_NOFILE, &old) })
}

// set stores v in an rlimit field, which is uint64 on most systems and
// int64 on FreeBSD.
func set[T int64 | uint64](field *T, v uint64) { *field = T(v) }
