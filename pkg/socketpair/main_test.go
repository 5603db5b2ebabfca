package socketpair_test

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/sockbook/sockbook/pkg/socketpair"
	"go.uber.org/goleak"
	"golang.org/x/sys/unix"
)

// misbehave, set in a child's environment, makes the re-executed test
// binary play a faulty child instead of the real one.
const misbehave = "SOCKETPAIR_TEST_MISBEHAVE"

func TestMain(m *testing.M) {
	switch os.Getenv(misbehave) {
	case "":
	case "exit": // leave without a word
		os.Exit(0)
	case "fail":
		fmt.Fprintln(os.Stderr, "child gave up")
		os.Exit(3)
	case "hang": // keep the socket open, never answer
		time.Sleep(time.Hour)
		os.Exit(0)
	case "close-and-hang": // close the socket, stay alive
		_ = unix.Close(3)
		time.Sleep(time.Hour)
		os.Exit(0)
	default:
		fmt.Fprintf(os.Stderr, "%s=%q: unknown mode\n", misbehave, os.Getenv(misbehave))
		os.Exit(2)
	}
	socketpair.RunChildIfRequested()
	goleak.VerifyTestMain(m)
}
