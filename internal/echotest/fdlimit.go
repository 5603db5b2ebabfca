package echotest

import (
	"fmt"
	"testing"

	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// RaiseFDLimit raises the soft limit on open descriptors to want, or
// keeps it when it is already higher, and restores it when t ends. When
// the hard limit is below want too it raises that, which needs root
// (CAP_SYS_RESOURCE); without it t skips through testenv, so CI, which runs
// as root, never skips.
func RaiseFDLimit(t testing.TB, want uint64) {
	t.Helper()
	var old unix.Rlimit
	require.NoError(t, unix.Getrlimit(unix.RLIMIT_NOFILE, &old))
	if uint64(old.Cur) >= want {
		return
	}
	raised := old
	set(&raised.Cur, want)
	if uint64(old.Max) < want {
		set(&raised.Max, want)
	}
	if err := unix.Setrlimit(unix.RLIMIT_NOFILE, &raised); err != nil {
		testenv.Skip(t, testenv.Root, fmt.Sprintf("raising RLIMIT_NOFILE to %d descriptors (hard limit %d): %v", want, old.Max, err))
	}
	t.Cleanup(func() { _ = unix.Setrlimit(unix.RLIMIT_NOFILE, &old) })
}

// set stores v in an rlimit field, which is uint64 on most systems and
// int64 on FreeBSD.
func set[T int64 | uint64](field *T, v uint64) { *field = T(v) }
