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
	write(t, dir, "tools/kernel/imports/a.go", "package imports\n")
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
}

func TestSpec(t *testing.T) {
	spec := Spec("/opt/sockbook-kernel")
	assert.Equal(t, []string{"/opt/sockbook-kernel", "{connection_file}"}, spec.Argv)
	assert.Equal(t, "Go (sockbook)", spec.DisplayName)
	assert.Equal(t, "go", spec.Language)
	assert.Equal(t, MissingGOROOT, spec.Env["GOROOT"])
}
