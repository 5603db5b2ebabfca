package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sockbook/sockbook/tools/jupyter"
	"github.com/sockbook/sockbook/tools/kernel/kernelbin"
)

// fakeKernelBinary creates an empty file where install expects a kernel.
func fakeKernelBinary(t *testing.T) string {
	path := filepath.Join(t.TempDir(), "sockbook-kernel")
	require.NoError(t, os.WriteFile(path, nil, 0o755))
	return path
}

func readSpec(t *testing.T, file string) jupyter.KernelSpec {
	spec, err := jupyter.ReadKernelSpec(file)
	require.NoError(t, err)
	return spec
}

func TestInstallPrefix(t *testing.T) {
	kernel := fakeKernelBinary(t)
	prefix := t.TempDir()
	var out bytes.Buffer
	require.NoError(t, runInstall(context.Background(), []string{"-kernel", kernel, "--prefix", prefix}, &out))
	spec := readSpec(t, filepath.Join(prefix, "share", "jupyter", "kernels", "sockbook", "kernel.json"))
	assert.Equal(t, []string{kernel, "{connection_file}"}, spec.Argv)
	assert.Equal(t, "Go (sockbook)", spec.DisplayName)
	assert.Equal(t, "go", spec.Language)
	assert.Equal(t, kernelbin.MissingGOROOT, spec.Env["GOROOT"])
	_, err := os.Stat(kernelbin.MissingGOROOT)
	assert.True(t, os.IsNotExist(err), "GOROOT %s must not exist", kernelbin.MissingGOROOT)
}

func TestInstallHonoursJupyterDataDir(t *testing.T) {
	kernel := fakeKernelBinary(t)
	dataDir := t.TempDir()
	t.Setenv("JUPYTER_DATA_DIR", dataDir)
	require.NoError(t, runInstall(context.Background(), []string{"-kernel", kernel}, &bytes.Buffer{}))
	spec := readSpec(t, filepath.Join(dataDir, "kernels", "sockbook", "kernel.json"))
	assert.Equal(t, kernel, spec.Argv[0])
}

func TestInstallDefaultDataDir(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("JUPYTER_DATA_DIR", "")
	t.Setenv("XDG_DATA_HOME", "")
	require.NoError(t, runInstall(context.Background(), []string{"-kernel", fakeKernelBinary(t)}, &bytes.Buffer{}))
	_, err := os.Stat(filepath.Join(home, ".local", "share", "jupyter", "kernels", "sockbook", "kernel.json"))
	assert.NoError(t, err)
}

func TestInstallPrint(t *testing.T) {
	dataDir := t.TempDir()
	t.Setenv("JUPYTER_DATA_DIR", dataDir)
	var out bytes.Buffer
	// Printing needs no kernel binary, and installs nothing.
	require.NoError(t, runInstall(context.Background(), []string{"-kernel", "/no/such/kernel", "--print"}, &out))
	var spec jupyter.KernelSpec
	require.NoError(t, json.Unmarshal(out.Bytes(), &spec))
	assert.Equal(t, "/no/such/kernel", spec.Argv[0])
	entries, err := os.ReadDir(dataDir)
	require.NoError(t, err)
	assert.Empty(t, entries)
}

func TestInstallMissingKernel(t *testing.T) {
	t.Setenv("JUPYTER_DATA_DIR", t.TempDir())
	err := runInstall(context.Background(), []string{"-kernel", "/no/such/kernel"}, &bytes.Buffer{})
	assert.ErrorContains(t, err, "/no/such/kernel")
}

func TestPatchDisplayTable(t *testing.T) {
	dir := t.TempDir()
	stale := filepath.Join(dir, "x_package.go")
	var src string
	for _, fix := range displayTableFixes {
		src += fix.old + "\n"
	}
	require.NoError(t, os.WriteFile(stale, []byte(src), 0o644))
	got, err := patchDisplayTable(stale)
	require.NoError(t, err)
	for _, fix := range displayTableFixes {
		assert.Contains(t, string(got), fix.new)
		assert.NotContains(t, string(got), fix.old)
	}
	// A file the edits do not fit is refused, not built into a kernel
	// that panics.
	require.NoError(t, os.WriteFile(stale, []byte("package main\n"), 0o644))
	_, err = patchDisplayTable(stale)
	assert.ErrorContains(t, err, "want once")
}
