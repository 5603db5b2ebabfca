package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sockbook/sockbook/internal/testenv"
)

// vmRequirement names, in SOCKBOOK_REQUIRE, a machine that can fetch and
// boot the guest kernel in qemu.
const vmRequirement = testenv.VM

// selftest is the guest package: an AF_ALG test, and one that fails when
// VMTEST_FAIL=1.
const selftest = "./testdata/selftest"

// TestVM boots the selftest package through the vmtest command, as a user
// and as go test -exec would.
func TestVM(t *testing.T) {
	if testing.Short() {
		t.Skip("boots a VM")
	}
	if _, err := findQEMU(); err != nil {
		testenv.Skip(t, vmRequirement, err.Error())
	}
	cache := defaultCacheDir(t)
	if _, err := debianKernel(context.Background(), cache, t.Logf); err != nil {
		testenv.Skip(t, vmRequirement, "no Debian kernel to boot: "+err.Error())
	}
	bin := filepath.Join(t.TempDir(), "vmtest")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "%s", out)

	// vmtest runs bin with env added to a copy of this process's
	// environment from which the guest-visible variables are removed.
	vmtest := func(t *testing.T, env []string, args ...string) (string, int) {
		t.Helper()
		cmd := exec.Command(bin, append([]string{"-cache", cache}, args...)...)
		cmd.Env = append(slices.DeleteFunc(os.Environ(), func(kv string) bool {
			return strings.HasPrefix(kv, "SOCKBOOK_") || strings.HasPrefix(kv, "VMTEST_")
		}), env...)
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return string(out), exit.ExitCode()
		}
		require.NoError(t, err, "%s", out)
		return string(out), 0
	}

	t.Run("AF_ALG test passes in the guest", func(t *testing.T) {
		out, status := vmtest(t, []string{"SOCKBOOK_REQUIRE=afalg"}, selftest, "-v")
		assert.Equal(t, 0, status, "%s", out)
		assert.Contains(t, out, "--- PASS: TestAFALGSHA256")
		assert.Contains(t, out, "--- PASS: TestFailOnRequest")
		assert.NotContains(t, out, "SKIP")
	})

	t.Run("failing test makes the command fail", func(t *testing.T) {
		out, status := vmtest(t, []string{"VMTEST_FAIL=1"}, selftest)
		assert.Equal(t, 1, status, "%s", out)
		assert.Contains(t, out, "--- FAIL: TestFailOnRequest")
		assert.Contains(t, out, "failing on purpose")
	})

	t.Run("go test -exec", func(t *testing.T) {
		// go test builds with cgo where a C compiler exists, so this
		// also covers a dynamically linked test binary.
		goTest := func(env ...string) (string, error) {
			cmd := exec.Command("go", "test", "-count=1", "-exec", bin+" -cache "+cache, selftest)
			cmd.Env = append(os.Environ(), env...)
			out, err := cmd.CombinedOutput()
			return string(out), err
		}
		out, err := goTest("SOCKBOOK_REQUIRE=afalg", "VMTEST_FAIL=1")
		require.Error(t, err, "VMTEST_FAIL=1 must fail go test too:\n%s", out)
		assert.Contains(t, out, "failing on purpose")

		out, err = goTest("SOCKBOOK_REQUIRE=afalg")
		require.NoError(t, err, "%s", out)
		assert.Contains(t, out, "ok")
	})

	t.Run("unknown module is refused before booting", func(t *testing.T) {
		out, status := vmtest(t, nil, "-modules", "af_alg,no_such_module", selftest)
		assert.NotEqual(t, 0, status)
		assert.Contains(t, out, `module "no_such_module"`)
	})

	t.Run("timeout stops a hanging test", func(t *testing.T) {
		out, status := vmtest(t, []string{"VMTEST_HANG=1"}, "-timeout", "5s", selftest)
		assert.NotEqual(t, 0, status)
		assert.Contains(t, out, "timed out after 5s")
	})
}

func defaultCacheDir(t *testing.T) string {
	t.Helper()
	dir, err := os.UserCacheDir()
	if err != nil {
		testenv.Skip(t, testenv.VM, "no user cache directory for the guest image: "+err.Error())
	}
	return filepath.Join(dir, "sockbook", "vm")
}
