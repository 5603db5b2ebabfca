package kernelbin

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	path := filepath.Join(dir, filepath.FromSlash(name))
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
}

func TestInputsHash(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "go.mod", "module example\n")
	write(t, dir, "go.sum", "")
	write(t, dir, "pkg/a/a.go", "package a\n")
	write(t, dir, "tools/kernel/gen.go", "package main\n")
	base, err := inputsHash(dir)
	require.NoError(t, err)

	// Tests, test data and files elsewhere do not go into the kernel.
	write(t, dir, "pkg/a/a_test.go", "package a\n")
	write(t, dir, "pkg/a/testdata/x.go", "package x\n")
	write(t, dir, "notebooks/n.go", "package n\n")
	same, err := inputsHash(dir)
	require.NoError(t, err)
	assert.Equal(t, base, same)

	// A library change does.
	write(t, dir, "pkg/a/a.go", "package a\n\nfunc F() {}\n")
	changed, err := inputsHash(dir)
	require.NoError(t, err)
	assert.NotEqual(t, base, changed)

	// So does a new file.
	write(t, dir, "pkg/b/b.go", "package b\n")
	added, err := inputsHash(dir)
	require.NoError(t, err)
	assert.NotEqual(t, changed, added)

	// And what else feeds the generated tables: the generator, and the
	// versions of the packages it loads.
	write(t, dir, "tools/kernel/gen.go", "package main\n\nconst x = 1\n")
	regenerated, err := inputsHash(dir)
	require.NoError(t, err)
	assert.NotEqual(t, added, regenerated)
	write(t, dir, "go.sum", "golang.org/x/sys v0.1.0 h1:x\n")
	resummed, err := inputsHash(dir)
	require.NoError(t, err)
	assert.NotEqual(t, regenerated, resummed)
}

// TestBuildKeysOnInputs checks that a pkg/ change makes Build look for
// another binary: a kernel whose tables lack the change is not reused.
func TestBuildKeysOnInputs(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	dir := t.TempDir()
	write(t, dir, "go.mod", "module example\n")
	write(t, dir, "go.sum", "")
	write(t, dir, "pkg/a/a.go", "package a\n")
	first, err := cachedPath(dir)
	require.NoError(t, err)
	write(t, dir, "pkg/a/a.go", "package a\n\nfunc New() {}\n")
	second, err := cachedPath(dir)
	require.NoError(t, err)
	assert.NotEqual(t, first, second)
	assert.Equal(t, filepath.Dir(first), filepath.Dir(second))
}

func TestSpec(t *testing.T) {
	spec := Spec("/opt/sockbook-kernel")
	assert.Equal(t, []string{"/opt/sockbook-kernel", "{connection_file}"}, spec.Argv)
	assert.Equal(t, "Go (sockbook)", spec.DisplayName)
	assert.Equal(t, "go", spec.Language)
	assert.Equal(t, MissingGOROOT, spec.Env["GOROOT"])
}
