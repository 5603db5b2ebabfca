package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sockbook/sockbook/internal/testenv"
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
	require.NoError(t, os.WriteFile(kernel, []byte("#!/bin/sh\n"), 0o700))
	require.NoError(t, runInstall(context.Background(), []string{"-kernel", kernel, "--prefix", prefix}, &out))
	spec := readSpec(t, filepath.Join(prefix, "share", "jupyter", "kernels", "sockbook", "kernel.json"))
	installed := filepath.Join(prefix, "lib", "sockbook", "sockbook-kernel")
	assert.Equal(t, []string{installed, "{connection_file}"}, spec.Argv, "the kernelspec names the copy in the prefix, not the builder's binary")
	st, err := os.Stat(installed)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o755), st.Mode().Perm(), "every user may run it")
	b, err := os.ReadFile(installed)
	require.NoError(t, err)
	assert.Equal(t, "#!/bin/sh\n", string(b))
	assert.Equal(t, "Go (sockbook)", spec.DisplayName)
	assert.Equal(t, "go", spec.Language)
	assert.Equal(t, kernelbin.MissingGOROOT, spec.Env["GOROOT"])
	_, err = os.Stat(kernelbin.MissingGOROOT)
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

// A system-wide install serves a user who is not the builder: nobody lists
// the kernelspec from the prefix and runs a cell in the installed kernel.
func TestSystemWideInstallServesAnotherUser(t *testing.T) {
	testenv.MustBeRoot(t) // to run commands as nobody
	if _, err := exec.LookPath("jupyter"); err != nil {
		testenv.Skip(t, testenv.Jupyter, "no jupyter command: "+err.Error())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	kernel, err := kernelbin.BuildHere(ctx, os.Stderr)
	require.NoError(t, err)

	// A prefix nobody can read, as /usr/local is, outside root's home.
	prefix, err := os.MkdirTemp("", "sockbook-prefix-")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(prefix) })
	require.NoError(t, os.Chmod(prefix, 0o755))
	runtime := filepath.Join(prefix, "runtime")
	require.NoError(t, os.Mkdir(runtime, 0o777))
	require.NoError(t, os.Chmod(runtime, 0o777|os.ModeSticky))
	require.NoError(t, runInstall(ctx, []string{"-kernel", kernel, "--prefix", prefix}, &bytes.Buffer{}))

	asNobody := func(args ...string) (string, error) {
		cmd := exec.CommandContext(ctx, "runuser", append([]string{"-u", "nobody", "--", "env", "HOME=" + runtime,
			"JUPYTER_PATH=" + filepath.Join(prefix, "share", "jupyter"), "JUPYTER_RUNTIME_DIR=" + runtime}, args...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			err = fmt.Errorf("%w: %s", err, stderr.String())
		}
		return string(out), err
	}
	out, err := asNobody("jupyter", "kernelspec", "list", "--json")
	require.NoError(t, err, out)
	var list struct {
		Kernelspecs map[string]struct {
			ResourceDir string `json:"resource_dir"`
			Spec        jupyter.KernelSpec
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &list), out)
	ks, ok := list.Kernelspecs[kernelbin.Name]
	require.True(t, ok, "nobody's kernelspec list shows sockbook: %s", out)
	assert.Equal(t, filepath.Join(prefix, "share", "jupyter", "kernels", kernelbin.Name), ks.ResourceDir)
	assert.True(t, strings.HasPrefix(ks.Spec.Argv[0], prefix+"/"), "the kernel runs from the prefix: %s", ks.Spec.Argv[0])
	moduleDir, err := kernelbin.ModuleDir(ctx)
	require.NoError(t, err)
	spec, err := os.ReadFile(filepath.Join(ks.ResourceDir, "kernel.json"))
	require.NoError(t, err)
	assert.NotContains(t, string(spec), moduleDir, "no path into the builder's checkout")

	const script = `
from jupyter_client.manager import start_new_kernel
km, kc = start_new_kernel(kernel_name="sockbook")
out = []
kc.execute_interactive('import ("fmt"; "os")\nfmt.Println("hello from uid", os.Getuid())', output_hook=lambda m: out.append(m["content"].get("text", "")), timeout=60)
print("".join(out), end="")
kc.stop_channels(); km.shutdown_kernel(now=True)
`
	out, err = asNobody("/usr/bin/python3", "-c", script)
	require.NoError(t, err, out)
	assert.Contains(t, out, "hello from uid 65534")
}
