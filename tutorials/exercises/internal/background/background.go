// Package background runs a learner's blocking function beside a test and
// bounds how long the test waits for it.
//
// Exercises ask for servers that stop when their context ends and for
// calls that give up when told to. A learner's first version often does
// neither, so every wait here has a limit: a test that would hang instead
// fails with a message that names the function and the limit.
package background

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// StopLimit is how long Serve's stop waits for the server to return after
// its context is cancelled.
const StopLimit = 3 * time.Second

// Wait runs f in its own goroutine and returns f's error. If f has not
// returned after d, the test fails at once with late, and f is left
// running: the test process ends soon after, taking it along.
func Wait(t testing.TB, d time.Duration, late string, f func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		t.Fatal(late)
		return nil
	}
}

// Serve starts serve in its own goroutine with a context that stop cancels.
// stop then waits up to StopLimit for serve to return, fails the test if it
// does not or if it returns an error (a server told to stop has not
// failed), and returns that error. stop may be called any number of times;
// only the first waits. The test's cleanup calls it too, so a test that
// does not stop the server itself still checks that it stops.
//
// name is what the learner wrote, such as "Serve", and leads every message.
func Serve(t testing.TB, name string, serve func(ctx context.Context) error) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx) }()
	stopped := false
	stop = func() error {
		t.Helper()
		if stopped {
			return nil
		}
		stopped = true
		select {
		case err := <-done:
			// A server that quit early has almost always failed the test
			// already; say so only when nothing else did.
			cancel()
			if err != nil && !t.Failed() {
				t.Errorf("%s returned %v before its context ended", name, err)
			}
			return err
		default:
		}
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("%s returned %v after its context ended, want nil", name, err)
			}
			return err
		case <-time.After(StopLimit):
			err := fmt.Errorf("%s did not return within %v of its context ending", name, StopLimit)
			t.Error(err)
			return err
		}
	}
	t.Cleanup(func() {
		t.Helper()
		stop()
	})
	return stop
}
