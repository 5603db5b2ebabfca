package stale

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// shortDir returns a temporary directory with a short path: t.TempDir's paths
// can approach sun_path's limit on their own.
func shortDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "stale")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func mustListen(t *testing.T, path string) *net.UnixListener {
	t.Helper()
	ln, err := Listen(path)
	if err != nil {
		t.Fatalf("Listen(%q): %v", path, err)
	}
	if ln == nil {
		t.Fatalf("Listen(%q) returned a nil listener", path)
	}
	t.Cleanup(func() { ln.Close() })
	c, err := net.Dial("unix", path)
	if err != nil {
		t.Fatalf("dialing the new listener at %q: %v", path, err)
	}
	c.Close()
	return ln
}

func TestFreshPath(t *testing.T) {
	mustListen(t, filepath.Join(shortDir(t), "s.sock"))
}

func TestStaleSocketReplaced(t *testing.T) {
	path := filepath.Join(shortDir(t), "s.sock")
	// A crashed server: the file stays, nobody accepts.
	old, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	old.SetUnlinkOnClose(false)
	old.Close()
	if _, err := os.Lstat(path); err != nil {
		t.Fatalf("setting up a stale socket file: %v", err)
	}
	mustListen(t, path)
}

func TestLiveServerKept(t *testing.T) {
	path := filepath.Join(shortDir(t), "s.sock")
	live, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	ln, err := Listen(path)
	if err == nil {
		ln.Close()
		t.Fatal("Listen took over the path of a live server")
	}
	if !errors.Is(err, ErrInUse) {
		t.Errorf("Listen on a live server's path: %v; want an error wrapping ErrInUse", err)
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error %q should name the path", err)
	}
	c, err := net.Dial("unix", path)
	if err != nil {
		t.Fatalf("the live server is unreachable after Listen failed: %v (was its socket file removed?)", err)
	}
	c.Close()
}

func TestNotASocketKept(t *testing.T) {
	path := filepath.Join(shortDir(t), "notes.txt")
	if err := os.WriteFile(path, []byte("precious"), 0o600); err != nil {
		t.Fatal(err)
	}
	ln, err := Listen(path)
	if err == nil {
		ln.Close()
		t.Fatal("Listen succeeded over a regular file")
	}
	if errors.Is(err, errors.ErrUnsupported) {
		t.Fatalf("Listen: %v", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "precious" {
		t.Fatal("Listen removed or changed a regular file that was in the way")
	}
}

func TestPathTooLong(t *testing.T) {
	path := "/tmp/" + strings.Repeat("x", 120)
	ln, err := Listen(path)
	if err == nil {
		ln.Close()
		t.Fatal("Listen accepted a 125-byte path")
	}
	if !strings.Contains(err.Error(), "107") {
		t.Errorf("error %q should say the limit (107 bytes)", err)
	}
}
