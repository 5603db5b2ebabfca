package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sockbook/sockbook/internal/testenv"
)

// TestVMCatchesTamperedOutputs runs chapter 08 in the guest against a copy
// whose stored outputs were changed in two ways a wrong run could change
// them: the backend line says Go where the kernel ran, and SealFile's
// system-call count is off by one. The run must fail, naming both cells,
// and leave the copy as it was. (CI runs the untouched chapter in the
// guest too, so a run that always failed would not pass there.)
func TestVMCatchesTamperedOutputs(t *testing.T) {
	if testing.Short() {
		t.Skip("boots a VM")
	}
	if _, err := exec.LookPath("qemu-system-x86_64"); err != nil {
		testenv.Skip(t, testenv.VM, "no qemu-system-x86_64 to boot the guest: "+err.Error())
	}
	stored, err := os.ReadFile("../../notebooks/08-afalg.ipynb")
	require.NoError(t, err)
	tampered := stored
	// Each edit changes the first stored output that has its text: the
	// backend line of the first Auto cell (several print one), and the
	// one line of SealFile's counts.
	for _, edit := range []struct{ from, to string }{
		{`"backend: kernel (AF_ALG)\n"`, `"backend: go (AF_ALG)\n"`},
		{`"SealFile, backend kernel: kernel saw 2 read-side`, `"SealFile, backend kernel: kernel saw 3 read-side`},
	} {
		require.Contains(t, string(tampered), edit.from, "a stored output of chapter 08")
		tampered = bytes.Replace(tampered, []byte(edit.from), []byte(edit.to), 1)
	}
	path := filepath.Join(t.TempDir(), "08-afalg.ipynb")
	require.NoError(t, os.WriteFile(path, tampered, 0o600))

	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	var out bytes.Buffer
	err = run(ctx, []string{"-vm", path}, &out)
	t.Logf("the guest run:\n%s", out.String())
	require.Error(t, err, "a tampered chapter 08 passed in the guest")

	report := out.String()
	assert.Regexp(t, `FAIL 08-afalg.ipynb: \d+ passed, 2 failed, 0 skipped`, report, "the guest's verdict on the notebook")
	assert.Contains(t, report, "-backend: go (AF_ALG)")
	assert.Contains(t, report, "+backend: kernel (AF_ALG)")
	assert.Contains(t, report, "-SealFile, backend kernel: kernel saw 3 read-side")
	assert.Contains(t, report, "+SealFile, backend kernel: kernel saw 2 read-side")
	assert.Equal(t, 2, strings.Count(report, "FAILED cell"), "exactly the two tampered cells fail")

	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(tampered), string(after), "a run without -update must not rewrite the notebook")
}
