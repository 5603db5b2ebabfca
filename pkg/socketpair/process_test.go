package socketpair_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/pkg/socketpair"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// child returns a command that re-executes this test binary, optionally
// as one of TestMain's faulty children.
func child(t *testing.T, mode string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	require.NoError(t, err)
	cmd := exec.Command(exe)
	if mode != "" {
		cmd.Env = append(os.Environ(), misbehave+"="+mode)
	}
	return cmd
}

// conversations are the runs that every way of running a Conversation
// (goroutines, a child process) must play out with the same output.
var conversations = []struct {
	c    socketpair.Conversation
	want string
}{
	{socketpair.Duplex(), "child ---> parent: Hello Parent\nparent ---> child: Hello Parent\n"},
	{socketpair.PingPong(2), "Hi! Child!\nHi! Parent!\nHi! Child!\nHi! Parent!\n"},
}

func TestRunCmd(t *testing.T) {
	for _, tc := range conversations {
		t.Run(tc.c.String(), func(t *testing.T) {
			testenv.CheckFDs(t)
			cmd := child(t, "")
			var out bytes.Buffer
			require.NoError(t, tc.c.RunCmd(context.Background(), cmd, &out))
			assert.Equal(t, tc.want, out.String())
			// The child was a separate process, and it has been reaped.
			require.NotNil(t, cmd.ProcessState, "RunCmd returned without waiting for the child")
			assert.NotEqual(t, os.Getpid(), cmd.ProcessState.Pid())
			assert.True(t, cmd.ProcessState.Exited())
			assert.Equal(t, 0, cmd.ProcessState.ExitCode())
		})
	}
}

// Many rounds through the shared output pipe must never interleave out of
// turn, whatever the scheduler does.
func TestRunProcessesManyRoundsStayInOrder(t *testing.T) {
	testenv.CheckFDs(t)
	var out bytes.Buffer
	const rounds = 500
	require.NoError(t, socketpair.PingPong(rounds).RunProcesses(context.Background(), &out))
	assert.Equal(t, bytes.Repeat([]byte("Hi! Child!\nHi! Parent!\n"), rounds), out.Bytes())
}

// killOnFirstWrite kills the child as soon as any output arrives.
type killOnFirstWrite struct {
	once sync.Once
	cmd  *exec.Cmd
}

func (k *killOnFirstWrite) Write(p []byte) (int, error) {
	k.once.Do(func() { _ = k.cmd.Process.Kill() })
	return len(p), nil
}

func TestChildKilledMidExchange(t *testing.T) {
	testenv.CheckFDs(t)
	cmd := child(t, "")
	err := socketpair.PingPong(1<<30).RunCmd(context.Background(), cmd, &killOnFirstWrite{cmd: cmd})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "socketpair: pipe: parent: round ")
	assert.Contains(t, err.Error(), "signal: killed")
	require.NotNil(t, cmd.ProcessState)
}

func TestChildLeavesWithoutAWord(t *testing.T) {
	testenv.CheckFDs(t)
	cmd := child(t, "exit")
	err := socketpair.Duplex().RunCmd(context.Background(), cmd, io.Discard)
	require.ErrorIs(t, err, io.EOF)
	assert.EqualError(t, err, "socketpair: duplex: parent: read from child: EOF")
	require.NotNil(t, cmd.ProcessState)
}

func TestChildFailureIsReported(t *testing.T) {
	testenv.CheckFDs(t)
	cmd := child(t, "fail")
	err := socketpair.Duplex().RunCmd(context.Background(), cmd, io.Discard)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "exit status 3: child gave up")
	var exitErr *exec.ExitError
	require.ErrorAs(t, err, &exitErr)
	assert.Equal(t, 3, exitErr.ExitCode())
}

func TestChildThatClosesItsEndIsKilled(t *testing.T) {
	testenv.CheckFDs(t)
	cmd := child(t, "close-and-hang")
	err := socketpair.PingPong(3).RunCmd(context.Background(), cmd, io.Discard)
	require.Error(t, err)
	// End of file, or ECONNRESET when the child closed with our message
	// still unread.
	assert.Contains(t, err.Error(), "parent: round 1: read from child: ")
	assert.Contains(t, err.Error(), "signal: killed")
	require.NotNil(t, cmd.ProcessState, "the killed child was reaped")
}

func TestSilentChildStopsWithTheContext(t *testing.T) {
	testenv.CheckFDs(t)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	cmd := child(t, "hang")
	err := socketpair.Duplex().RunCmd(ctx, cmd, io.Discard)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "child killed")
	require.NotNil(t, cmd.ProcessState)
	assert.False(t, cmd.ProcessState.Exited(), "the child was killed by a signal")
}

func TestNoChildAfterTheContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cmd := child(t, "")
	err := socketpair.Duplex().RunCmd(ctx, cmd, io.Discard)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Nil(t, cmd.Process, "no child was started")
}

func TestChildThatCannotStart(t *testing.T) {
	testenv.CheckFDs(t)
	cmd := exec.Command("/nonexistent/sockbook-child")
	err := socketpair.Duplex().RunCmd(context.Background(), cmd, io.Discard)
	require.ErrorIs(t, err, os.ErrNotExist)
	assert.Contains(t, err.Error(), "start child")
}

func TestRunCmdRejectsBadInput(t *testing.T) {
	ctx := context.Background()
	assert.ErrorContains(t, socketpair.Duplex().RunCmd(ctx, nil, io.Discard), "nil exec.Cmd")
	assert.ErrorContains(t, socketpair.PingPong(0).RunCmd(ctx, child(t, ""), io.Discard), "rounds 0: must be positive")
	assert.ErrorContains(t, socketpair.Conversation{}.RunProcesses(ctx, io.Discard), "zero Conversation")

	started := exec.Command("true")
	require.NoError(t, started.Run())
	assert.ErrorContains(t, socketpair.Duplex().RunCmd(ctx, started, io.Discard), "already started")
}

// A child that forgot RunChildIfRequested must not start children of its
// own.
func TestChildMayNotStartAnother(t *testing.T) {
	t.Setenv(socketpair.ChildEnv, "duplex")
	assert.True(t, socketpair.IsChild())
	err := socketpair.Duplex().RunProcesses(context.Background(), io.Discard)
	assert.ErrorContains(t, err, "call socketpair.RunChildIfRequested")
}

func TestRunChildOutsideAChild(t *testing.T) {
	err := socketpair.RunChild(context.Background(), io.Discard)
	assert.ErrorContains(t, err, socketpair.ChildEnv+" is not set")

	t.Setenv(socketpair.ChildEnv, "gossip")
	err = socketpair.RunChild(context.Background(), io.Discard)
	assert.ErrorContains(t, err, `SOCKBOOK_SOCKETPAIR_CHILD="gossip": unknown conversation`)
}

type brokenWriter struct{}

func (brokenWriter) Write([]byte) (int, error) { return 0, errors.New("disk on fire") }

// An output that fails must not block the two processes on a full pipe.
func TestFailingOutputIsReported(t *testing.T) {
	testenv.CheckFDs(t)
	err := socketpair.PingPong(20000).RunCmd(context.Background(), child(t, ""), brokenWriter{})
	assert.ErrorContains(t, err, "copying output: disk on fire")
}

func TestNilOutputDiscards(t *testing.T) {
	assert.NoError(t, socketpair.Duplex().RunCmd(context.Background(), child(t, ""), nil))
	assert.NoError(t, socketpair.Duplex().RunGoroutines(context.Background(), nil))
}
