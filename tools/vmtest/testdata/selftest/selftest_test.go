// Package selftest is vmtest's own guest: a test that needs AF_ALG, which
// the host kernel may lack, and one that fails or hangs on request, to show that a
// failure inside the VM reaches the host's exit status. It lives under
// testdata so that go test ./... leaves it alone.
package selftest

import (
	"crypto/sha256"
	"os"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/sockbook/sockbook/internal/testenv"
)

// TestAFALGSHA256 hashes "abc" in the kernel and compares with crypto/sha256.
func TestAFALGSHA256(t *testing.T) {
	tfm, err := unix.Socket(unix.AF_ALG, unix.SOCK_SEQPACKET|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		testenv.Skip(t, testenv.AFALG, "socket(AF_ALG): "+err.Error())
	}
	defer unix.Close(tfm)
	if err := unix.Bind(tfm, &unix.SockaddrALG{Type: "hash", Name: "sha256"}); err != nil {
		t.Fatalf("bind hash sha256: %v", err)
	}
	// Not unix.Accept: it asks for a peer address, which an operation
	// socket lacks, and turns the empty answer into ECONNABORTED.
	r, _, errno := unix.Syscall6(unix.SYS_ACCEPT4, uintptr(tfm), 0, 0, unix.SOCK_CLOEXEC, 0, 0)
	if errno != 0 {
		t.Fatalf("accept4: %v", errno)
	}
	op := int(r)
	defer unix.Close(op)
	if _, err := unix.Write(op, []byte("abc")); err != nil {
		t.Fatalf("write: %v", err)
	}
	got := make([]byte, sha256.Size)
	if _, err := unix.Read(op, got); err != nil {
		t.Fatalf("read: %v", err)
	}
	if want := sha256.Sum256([]byte("abc")); string(got) != string(want[:]) {
		t.Fatalf("AF_ALG sha256(abc) = %x, want %x", got, want)
	}
}

// TestHangOnRequest sleeps for an hour when VMTEST_HANG=1 is in the
// environment, standing in for a test that never returns.
func TestHangOnRequest(t *testing.T) {
	if os.Getenv("VMTEST_HANG") == "1" {
		time.Sleep(time.Hour)
	}
}

// TestFailOnRequest fails when VMTEST_FAIL=1 is in the environment.
func TestFailOnRequest(t *testing.T) {
	if os.Getenv("VMTEST_FAIL") == "1" {
		t.Fatal("VMTEST_FAIL=1: failing on purpose")
	}
}
