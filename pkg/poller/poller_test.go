package poller_test

import (
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/sockbook/sockbook/internal/echotest"
	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/pkg/poller"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// forEach runs test on each mechanism this system has.
func forEach(t *testing.T, test func(t *testing.T, p poller.Poller)) {
	for _, name := range poller.Names {
		t.Run(name, func(t *testing.T) {
			if err := poller.Available(name); err != nil {
				require.ErrorIs(t, err, errors.ErrUnsupported)
				_, err := poller.New(name)
				require.ErrorIs(t, err, errors.ErrUnsupported)
				return
			}
			testenv.CheckFDs(t)
			p, err := poller.New(name)
			require.NoError(t, err)
			defer func() { assert.NoError(t, p.Close()) }()
			assert.Equal(t, name, p.Name())
			test(t, p)
		})
	}
}

func TestReadiness(t *testing.T) {
	forEach(t, func(t *testing.T, p poller.Poller) {
		fds := testenv.Socketpair(t)
		defer unix.Close(fds[0])
		defer unix.Close(fds[1])

		require.NoError(t, p.Add(fds[0], poller.Read))
		ready, err := p.Wait(nil, 0)
		require.NoError(t, err)
		assert.Empty(t, ready, "nothing sent yet")

		_, err = unix.Write(fds[1], []byte("x"))
		require.NoError(t, err)
		ready, err = p.Wait(nil, time.Second)
		require.NoError(t, err)
		assert.Equal(t, []poller.Event{{FD: fds[0], Events: poller.Read}}, ready)

		require.NoError(t, p.Modify(fds[0], poller.Write))
		ready, err = p.Wait(nil, time.Second)
		require.NoError(t, err)
		require.Len(t, ready, 1)
		assert.Equal(t, poller.Write, ready[0].Events&poller.Write, "an empty send buffer is writable")

		require.NoError(t, p.Remove(fds[0]))
		ready, err = p.Wait(nil, 0)
		require.NoError(t, err)
		assert.Empty(t, ready, "removed")

		assert.Error(t, p.Remove(fds[0]), "removed twice")
		assert.Error(t, p.Add(-1, poller.Read))
		assert.Error(t, p.Add(fds[0], 0))
	})
}

// A hang-up is reported both ways, whatever was asked.
func TestHangUp(t *testing.T) {
	forEach(t, func(t *testing.T, p poller.Poller) {
		fds := testenv.Socketpair(t)
		defer unix.Close(fds[0])
		require.NoError(t, p.Add(fds[0], poller.Read))
		require.NoError(t, unix.Close(fds[1]))
		ready, err := p.Wait(nil, time.Second)
		require.NoError(t, err)
		require.Len(t, ready, 1)
		assert.NotZero(t, ready[0].Events&poller.Read)
		require.NoError(t, p.Remove(fds[0]))
	})
}

func TestUnknown(t *testing.T) {
	_, err := poller.New("kpoll")
	assert.EqualError(t, err, `poller: unknown mechanism "kpoll" (want select, poll, epoll or kqueue)`)
	assert.Equal(t, err.Error(), poller.Available("kpoll").Error())
	assert.NoError(t, poller.Available(""), "the default is always there")
}

// The refusal names the problem; a descriptor is made large with dup.
func TestSelectLargeDescriptor(t *testing.T) {
	echotest.RaiseFDLimit(t, 2*unix.FD_SETSIZE)
	f, err := os.Open(os.DevNull)
	require.NoError(t, err)
	defer f.Close()
	fd, err := unix.FcntlInt(f.Fd(), unix.F_DUPFD_CLOEXEC, unix.FD_SETSIZE)
	require.NoError(t, err)
	defer unix.Close(fd)
	err = poller.CheckSelectable(fd)
	require.ErrorIs(t, err, poller.ErrDescriptorTooLarge)
	assert.EqualError(t, err, fmt.Sprintf("descriptor %d: descriptor is not below FD_SETSIZE (1024); use poll or epoll", fd))
	assert.NoError(t, poller.CheckSelectable(int(f.Fd())))
	err = poller.NewSelect().Add(fd, poller.Read)
	require.ErrorIs(t, err, poller.ErrDescriptorTooLarge)
	var pe *poller.Error
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, fd, pe.FD)
}

func TestWaker(t *testing.T) {
	testenv.CheckFDs(t)
	w, err := poller.NewWaker()
	require.NoError(t, err)
	readable := func() bool {
		p := []unix.PollFd{{Fd: int32(w.FD()), Events: unix.POLLIN}}
		n, err := unix.Poll(p, 0)
		require.NoError(t, err)
		return n == 1
	}
	assert.False(t, readable())
	w.Wake()
	w.Wake()
	assert.True(t, readable())
	w.Drain()
	assert.False(t, readable())
	require.NoError(t, w.Close())
	w.Wake() // after Close: nothing, and no write to a reused descriptor
	require.NoError(t, w.Close())
}
