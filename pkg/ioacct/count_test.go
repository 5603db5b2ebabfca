package ioacct

import (
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// measured skips t, through testenv, where the kernel keeps no accounting.
func measured(t *testing.T, c Counts) {
	t.Helper()
	if !c.Measured {
		testenv.Skip(t, testenv.IOAcct, "the kernel keeps no per-thread I/O accounting (/proc/thread-self/io)")
	}
}

// The snapshots themselves are not in the count.
func TestCountNothing(t *testing.T) {
	c, err := Count(func() error { return nil })
	require.NoError(t, err)
	measured(t, c)
	assert.Equal(t, Counts{Measured: true}, c)
}

// Raw calls on the locked thread are counted one by one, and sendmsg is
// not counted at all.
func TestCountCalls(t *testing.T) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	require.NoError(t, err)
	defer unix.Close(fds[0])
	defer unix.Close(fds[1])
	c, err := Count(func() error {
		for range 3 {
			if _, err := unix.Write(fds[0], []byte("x")); err != nil {
				return err
			}
		}
		if err := unix.Sendmsg(fds[0], []byte("y"), nil, nil, 0); err != nil {
			return err
		}
		_, err := unix.Read(fds[1], make([]byte, 8))
		return err
	})
	require.NoError(t, err)
	measured(t, c)
	assert.Equal(t, Counts{Measured: true, ReadCalls: 1, WriteCalls: 3}, c)
}

func TestCountReturnsFuncError(t *testing.T) {
	boom := errors.New("boom")
	_, err := Count(func() error { return boom })
	assert.ErrorIs(t, err, boom)
}

func TestParse(t *testing.T) {
	c, ok := parse([]byte("rchar: 10\nwchar: 20\nsyscr: 3\nsyscw: 4\nread_bytes: 0\n"))
	assert.True(t, ok)
	assert.Equal(t, Counts{Measured: true, ReadCalls: 3, WriteCalls: 4}, c)

	_, ok = parse([]byte("rchar: 10\nsyscr: 3\n"))
	assert.False(t, ok, "a file without syscw is not a measurement")
}

func ExampleCount() {
	f, err := os.Create(os.DevNull)
	if err != nil {
		panic(err)
	}
	defer f.Close()
	c, err := Count(func() error {
		rc, err := f.SyscallConn()
		if err != nil {
			return err
		}
		var werr error
		err = rc.Control(func(fd uintptr) {
			for range 2 {
				if _, werr = unix.Write(int(fd), []byte("hi\n")); werr != nil {
					return
				}
			}
		})
		if err != nil {
			return err
		}
		return werr
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("measured:", c.Measured)
	fmt.Println("write-side calls:", c.WriteCalls)
	// Output:
	// measured: true
	// write-side calls: 2
}
