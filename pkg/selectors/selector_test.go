package selectors_test

import (
	"errors"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/sockbook/sockbook/internal/echotest"
	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/pkg/poller"
	"github.com/sockbook/sockbook/pkg/selectors"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
	"golang.org/x/sys/unix"
)

func TestMain(m *testing.M) {
	echotest.ClientMain()
	goleak.VerifyTestMain(m)
}

// backends lists every Selector constructor; those this system lacks
// report errors.ErrUnsupported.
var backends = []struct {
	name string
	new  func() (selectors.Selector, error)
}{
	{"select", selectors.NewSelectSelector},
	{"poll", selectors.NewPollSelector},
	{"epoll", selectors.NewEpollSelector},
	{"kqueue", selectors.NewKqueueSelector},
	{"default", selectors.NewDefaultSelector},
}

func forEachBackend(t *testing.T, test func(t *testing.T, newSel func() (selectors.Selector, error))) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			sel, err := b.new()
			if errors.Is(err, errors.ErrUnsupported) {
				t.Skip(err)
			}
			require.NoError(t, err)
			require.NoError(t, sel.Close())
			test(t, b.new)
		})
	}
}

func socketpair(t *testing.T) (a, b int) {
	t.Helper()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM, 0)
	require.NoError(t, err)
	t.Cleanup(func() {
		unix.Close(fds[0])
		unix.Close(fds[1])
	})
	return fds[0], fds[1]
}

func TestSelector(t *testing.T) {
	forEachBackend(t, func(t *testing.T, newSel func() (selectors.Selector, error)) {
		testenv.CheckFDs(t)
		sel, err := newSel()
		require.NoError(t, err)
		defer sel.Close()
		a, b := socketpair(t)

		k, err := sel.Register(a, selectors.EventRead, "data of a")
		require.NoError(t, err)
		assert.Equal(t, &selectors.SelectorKey{FD: a, Events: selectors.EventRead, Data: "data of a"}, k)
		assert.Equal(t, 1, sel.Len())

		// Nothing to read yet: a zero timeout returns at once, empty.
		ready, err := sel.Select(0)
		require.NoError(t, err)
		assert.Empty(t, ready)

		_, err = unix.Write(b, []byte("x"))
		require.NoError(t, err)
		ready, err = sel.Select(5 * time.Second)
		require.NoError(t, err)
		require.Len(t, ready, 1)
		assert.Equal(t, selectors.EventRead, ready[0].Events)
		assert.Equal(t, "data of a", ready[0].Key.Data)

		// Modify: now also writable, with new data.
		k, err = sel.Modify(a, selectors.EventRead|selectors.EventWrite, 42)
		require.NoError(t, err)
		assert.Equal(t, 42, k.Data)
		ready, err = sel.Select(5 * time.Second)
		require.NoError(t, err)
		require.Len(t, ready, 1)
		assert.Equal(t, selectors.EventRead|selectors.EventWrite, ready[0].Events)
		assert.Equal(t, "read|write", ready[0].Events.String())

		// Write only: the pending byte no longer counts.
		_, err = sel.Modify(a, selectors.EventWrite, nil)
		require.NoError(t, err)
		ready, err = sel.Select(5 * time.Second)
		require.NoError(t, err)
		require.Len(t, ready, 1)
		assert.Equal(t, selectors.EventWrite, ready[0].Events)

		k, err = sel.Unregister(a)
		require.NoError(t, err)
		assert.Equal(t, a, k.FD)
		assert.Zero(t, sel.Len())
		ready, err = sel.Select(0)
		require.NoError(t, err)
		assert.Empty(t, ready)
	})
}

func TestSelectorErrors(t *testing.T) {
	forEachBackend(t, func(t *testing.T, newSel func() (selectors.Selector, error)) {
		testenv.CheckFDs(t)
		sel, err := newSel()
		require.NoError(t, err)
		a, _ := socketpair(t)

		_, err = sel.Register(-1, selectors.EventRead, nil)
		assert.EqualError(t, err, "selectors: descriptor -1: negative")
		_, err = sel.Register(a, 0, nil)
		assert.EqualError(t, err, "selectors: descriptor "+strconv.Itoa(a)+": invalid events none")
		_, err = sel.Register(a, 4, nil)
		assert.ErrorContains(t, err, "invalid events Events(0x4)")
		_, err = sel.Modify(a, selectors.EventRead, nil)
		assert.ErrorIs(t, err, selectors.ErrNotRegistered)
		_, err = sel.Unregister(a)
		assert.ErrorIs(t, err, selectors.ErrNotRegistered)
		_, err = sel.Key(a)
		assert.ErrorIs(t, err, selectors.ErrNotRegistered)

		_, err = sel.Register(a, selectors.EventRead, nil)
		require.NoError(t, err)
		_, err = sel.Register(a, selectors.EventWrite, nil)
		assert.ErrorIs(t, err, selectors.ErrRegistered)
		assert.EqualError(t, err, "selectors: descriptor "+strconv.Itoa(a)+": already registered")

		require.NoError(t, sel.Close())
		require.NoError(t, sel.Close())
		_, err = sel.Select(0)
		assert.ErrorIs(t, err, selectors.ErrClosed)
		_, err = sel.Register(a, selectors.EventRead, nil)
		assert.ErrorIs(t, err, selectors.ErrClosed)
	})
}

// The select backend refuses a descriptor an fd_set has no bit for,
// naming it; poll takes it.
func TestSelectSelectorRefusesLargeDescriptors(t *testing.T) {
	echotest.RaiseFDLimit(t, 2*unix.FD_SETSIZE)
	testenv.CheckFDs(t)
	a, _ := socketpair(t)
	big, err := unix.FcntlInt(uintptr(a), unix.F_DUPFD_CLOEXEC, unix.FD_SETSIZE)
	require.NoError(t, err)
	defer unix.Close(big)
	sel, err := selectors.NewSelectSelector()
	require.NoError(t, err)
	defer sel.Close()
	_, err = sel.Register(big, selectors.EventRead, nil)
	require.ErrorIs(t, err, poller.ErrDescriptorTooLarge)
	assert.ErrorContains(t, err, "selectors: poller: select add descriptor "+strconv.Itoa(big)+": descriptor is not below FD_SETSIZE")
	assert.Zero(t, sel.Len())

	poll, err := selectors.NewPollSelector()
	require.NoError(t, err)
	defer poll.Close()
	_, err = poll.Register(big, selectors.EventRead, nil)
	assert.NoError(t, err, "poll has no such limit")
}

func TestDefaultSelector(t *testing.T) {
	sel, err := selectors.NewDefaultSelector()
	require.NoError(t, err)
	defer sel.Close()
	want := map[string]string{"linux": "epoll", "darwin": "kqueue", "freebsd": "kqueue"}[runtime.GOOS]
	if want != "" {
		assert.Equal(t, want, sel.Name())
	}
}

func TestEventsString(t *testing.T) {
	assert.Equal(t, "read", selectors.EventRead.String())
	assert.Equal(t, "write", selectors.EventWrite.String())
}
