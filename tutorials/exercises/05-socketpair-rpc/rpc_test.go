package rpc

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/sockbook/sockbook/tutorials/exercises/internal/background"
	"golang.org/x/sys/unix"
)

const childEnv = "RPC_EXERCISE_CHILD"

// TestMain plays the child when the test binary is re-executed by startChild.
func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		conn := os.NewFile(3, "child end")
		if err := Serve(conn); err != nil {
			os.Stderr.WriteString("child: " + err.Error() + "\n")
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func startChild(t *testing.T) (*os.File, *exec.Cmd) {
	t.Helper()
	parent, child, err := Pair()
	if err != nil {
		t.Fatalf("Pair: %v", err)
	}
	if parent == nil || child == nil {
		t.Fatal("Pair returned a nil end")
	}
	for name, f := range map[string]*os.File{"parent": parent, "child": child} {
		if typ, err := unix.GetsockoptInt(int(f.Fd()), unix.SOL_SOCKET, unix.SO_TYPE); err != nil || typ != unix.SOCK_STREAM {
			t.Fatalf("the %s end is not a stream socket (type %d, %v)", name, typ, err)
		}
		if flags, err := unix.FcntlInt(f.Fd(), unix.F_GETFD, 0); err != nil || flags&unix.FD_CLOEXEC == 0 {
			t.Errorf("the %s end is not close-on-exec; other programs started now would inherit it", name)
		}
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"=1")
	cmd.ExtraFiles = []*os.File{child}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The child has its copy now; the parent's must go, or the child
	// would never see end of file after the parent closes its own end.
	child.Close()
	t.Cleanup(func() {
		parent.Close()
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() && stderr.Len() > 0 {
			t.Logf("child's stderr:\n%s", stderr.String())
		}
	})
	return parent, cmd
}

func TestCallsInChildProcess(t *testing.T) {
	conn, _ := startChild(t)
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	c := NewClient(conn)
	for _, tc := range []struct {
		op   string
		a, b int64
		want int64
	}{{"add", 2, 3, 5}, {"mul", 6, 7, 42}, {"add", -10, 4, -6}, {"mul", 1 << 31, 4, 1 << 33}} {
		got, err := c.Call(tc.op, tc.a, tc.b)
		if err != nil {
			t.Fatalf("Call(%q, %d, %d): %v", tc.op, tc.a, tc.b, err)
		}
		if got != tc.want {
			t.Errorf("Call(%q, %d, %d) = %d, want %d", tc.op, tc.a, tc.b, got, tc.want)
		}
	}
	// A bad request is answered with an error, and the server carries on.
	if _, err := c.Call("div", 1, 2); err == nil || !strings.Contains(err.Error(), "div") {
		t.Errorf("Call(\"div\", 1, 2): got %v, want an error naming the unknown op", err)
	}
	if got, err := c.Call("add", 1, 1); err != nil || got != 2 {
		t.Errorf("Call after a bad request = %d, %v; want 2: one bad request must not stop the server", got, err)
	}
}

func TestServeAnswersGarbage(t *testing.T) {
	conn, _ := startChild(t)
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	conn.WriteString("add 1\nmul x 2\nadd 40 2\n")
	buf := make([]byte, 0, 256)
	for bytes.Count(buf, []byte("\n")) < 3 {
		n, err := conn.Read(buf[len(buf):cap(buf)])
		if err != nil {
			t.Fatalf("reading three answers, got %q: %v", buf, err)
		}
		buf = buf[:len(buf)+n]
	}
	lines := strings.Split(strings.TrimSpace(string(buf)), "\n")
	if !strings.HasPrefix(lines[0], "err ") || !strings.HasPrefix(lines[1], "err ") || lines[2] != "ok 42" {
		t.Fatalf("answers to \"add 1\", \"mul x 2\", \"add 40 2\" were %q; want err, err, \"ok 42\"", lines)
	}
}

func TestChildExitsOnEOF(t *testing.T) {
	conn, cmd := startChild(t)
	conn.Close()
	err := background.Wait(t, 5*time.Second, "the child is still running 5s after the parent closed its end", cmd.Wait)
	if err != nil {
		t.Fatalf("the child exited with %v after the parent closed its end; Serve should return nil at end of stream", err)
	}
}
