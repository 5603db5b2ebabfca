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
)

// TestTablesUpToDate regenerates the import tables and docs.json into a
// temporary folder and fails if they differ from the committed ones in
// imports/: after a change under pkg/, run "go generate ./tools/kernel".
func TestTablesUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("regenerating the tables takes seconds")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	out := t.TempDir()
	// A process of its own: genimport keeps its settings in globals.
	cmd := exec.CommandContext(ctx, "go", "run", ".", "gen", "-root", "../..", "-out", out)
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	require.NoError(t, cmd.Run(), "go run ./tools/kernel gen:\n%s", log.Bytes())

	want := generatedFiles(t, out)
	have := generatedFiles(t, "imports")
	for name, content := range want {
		old, ok := have[name]
		if !assert.True(t, ok, "imports/%s is missing; run go generate ./tools/kernel", name) {
			continue
		}
		assert.True(t, bytes.Equal(content, old), "imports/%s is stale; run go generate ./tools/kernel", name)
	}
	for name := range have {
		_, ok := want[name]
		assert.True(t, ok, "imports/%s is not generated any more; run go generate ./tools/kernel", name)
	}
}

// generatedFiles reads the generated files in dir: the tables, the
// manifest and docs.json, not the hand-written imports.go.
func generatedFiles(t *testing.T, dir string) map[string][]byte {
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	files := make(map[string][]byte)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		require.NoError(t, err)
		if e.Name() == "manifest.json" || e.Name() == docsFile || bytes.HasPrefix(b, []byte(generatedHeader)) {
			files[e.Name()] = b
		}
	}
	return files
}

// TestTruncateDecl checks that long declarations in docs.json are cut at a
// line end, or between runes, and say so.
func TestTruncateDecl(t *testing.T) {
	short := "type T struct {\n\tA int\n}"
	assert.Equal(t, short, truncateDecl(short))

	long := "type T struct {\n" + strings.Repeat("\tA int\n", 2*maxDeclLines) + "}"
	cut := truncateDecl(long)
	assert.Equal(t, maxDeclLines+1, strings.Count(cut, "\n"))
	assert.True(t, strings.HasSuffix(cut, "\tA int\n\t// … declaration truncated: 62 more lines\n"), cut)

	wide := "var V = \"" + strings.Repeat("é", maxDeclBytes) + "\""
	cut = truncateDecl(wide)
	assert.True(t, strings.HasSuffix(cut, "é /* … declaration truncated */"), cut[len(cut)-40:])
	assert.LessOrEqual(t, len(cut), maxDeclBytes+len(" /* … declaration truncated */"))
}
