package docs_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sockbook/sockbook/tools/kernel/docs"
	"github.com/sockbook/sockbook/tools/kernel/kernelbin"
)

// generated reads a file the kernel build generated, next to the tables
// linked into the kernel the tests of tools/kernel run: docs.json is the
// one the kernel embeds.
func generated(t testing.TB, name string) []byte {
	b, err := os.ReadFile(filepath.Join(kernelbin.TablesForTest(t), name))
	require.NoError(t, err)
	return b
}

// realIndex parses the docs.json linked into the kernel.
func realIndex(t testing.TB) *docs.Index {
	ix, err := docs.Parse(generated(t, "docs.json"))
	require.NoError(t, err)
	return ix
}

// lookup returns an entry of the real index that must be there.
func lookup(t *testing.T, ix *docs.Index, path, name string) docs.Entry {
	t.Helper()
	e, ok := ix.Lookup(path, name)
	require.True(t, ok, "no entry for %s %q", path, name)
	assert.Equal(t, path, e.Path)
	assert.Equal(t, name, e.Name)
	assert.NotContains(t, e.Pos, "/", "%s %s is declared in its own package", path, name)
	assert.Regexp(t, `^[a-z0-9_]+\.go:[1-9][0-9]*$`, e.Pos)
	return e
}

func TestRealEntries(t *testing.T) {
	ix := realIndex(t)

	e := lookup(t, ix, "github.com/sockbook/sockbook/pkg/addr", "InetAton")
	assert.Equal(t, docs.KindFunc, e.Kind)
	assert.Equal(t, "func InetAton(s string) ([4]byte, error)", e.Decl)
	assert.True(t, strings.HasPrefix(e.Doc, "InetAton "), e.Doc)

	e = lookup(t, ix, "github.com/sockbook/sockbook/pkg/addr", "")
	assert.Equal(t, docs.KindPackage, e.Kind)
	assert.Equal(t, `package addr // import "github.com/sockbook/sockbook/pkg/addr"`, e.Decl)
	assert.True(t, strings.HasPrefix(e.Doc, "Package addr "), e.Doc)
	assert.True(t, strings.HasPrefix(e.Text(), e.Decl+"\n\nPackage addr "), e.Text())

	e = lookup(t, ix, "net", "Listen")
	assert.Equal(t, "func Listen(network, address string) (Listener, error)", e.Decl)
	assert.True(t, strings.HasPrefix(e.Doc, "Listen announces on the local network address."), e.Doc)

	e = lookup(t, ix, "net", "TCPListener.Accept")
	assert.Equal(t, docs.KindMethod, e.Kind)
	assert.Equal(t, "func (l *TCPListener) Accept() (Conn, error)", e.Decl)
	assert.True(t, strings.HasPrefix(e.Doc, "Accept "), e.Doc)
	m, ok := ix.Method("net", "*TCPListener", "Accept")
	require.True(t, ok)
	assert.Equal(t, e, m)
	assert.Equal(t, "```go\n"+e.Decl+"\n```\n\n", e.Markdown()[:len(e.Decl)+12])

	e = lookup(t, ix, "net", "Conn")
	assert.Equal(t, docs.KindType, e.Kind)
	assert.True(t, strings.HasPrefix(e.Decl, "type Conn interface {\n"), e.Decl)
	assert.Contains(t, e.Decl, "\tRead(b []byte) (n int, err error)\n")
	assert.True(t, strings.HasPrefix(e.Doc, "Conn is a generic stream-oriented network connection."), e.Doc)
	e = lookup(t, ix, "net", "Conn.Read")
	assert.Equal(t, "func (Conn) Read(b []byte) (n int, err error)", e.Decl)
	assert.True(t, strings.HasPrefix(e.Doc, "Read reads data from the connection."), e.Doc)

	e = lookup(t, ix, "net", "TCPListener")
	assert.Equal(t, "type TCPListener struct {\n\t// contains filtered or unexported fields\n}", e.Decl)

	e = lookup(t, ix, "time", "Sleep")
	assert.Equal(t, "func Sleep(d Duration)", e.Decl)
	assert.True(t, strings.HasPrefix(e.Doc, "Sleep pauses the current goroutine"), e.Doc)

	e = lookup(t, ix, "time", "Second")
	assert.Equal(t, docs.KindConst, e.Kind)
	assert.Equal(t, "const Second Duration = 1000 * Millisecond // 1000000000", e.Decl)
	assert.True(t, strings.HasPrefix(e.Doc, "Common durations."), "the group's doc: %s", e.Doc)

	e = lookup(t, ix, "golang.org/x/sys/unix", "EpollWait")
	assert.Equal(t, "func EpollWait(epfd int, events []EpollEvent, msec int) (n int, err error)", e.Decl)
	e = lookup(t, ix, "golang.org/x/sys/unix", "AF_INET")
	assert.Equal(t, docs.KindConst, e.Kind)
	assert.Equal(t, "const AF_INET = 0x2", e.Decl)

	e = lookup(t, ix, "context", "WithCancel")
	assert.Equal(t, "func WithCancel(parent Context) (ctx Context, cancel CancelFunc)", e.Decl)
	assert.True(t, strings.HasPrefix(e.Doc, "WithCancel returns "), e.Doc)

	e = lookup(t, ix, "net/http", "Server.Addr")
	assert.Equal(t, docs.KindField, e.Kind)
	assert.Equal(t, "Addr string", e.Decl)
	assert.True(t, strings.HasPrefix(e.Doc, "Addr optionally specifies the TCP address"), e.Doc)

	e = lookup(t, ix, "net", "ErrClosed")
	assert.Equal(t, docs.KindVar, e.Kind)
	assert.Equal(t, "var ErrClosed error = errClosed", e.Decl)

	e = lookup(t, ix, "github.com/sockbook/sockbook/pkg/threadserver", "Server.Logger")
	assert.Equal(t, "Logger *slog.Logger", e.Decl)
}

// TestRealPromoted checks the methods a type gets from its embedded fields.
func TestRealPromoted(t *testing.T) {
	ix := realIndex(t)

	// From an unexported type of the same package (go/doc's own).
	e, ok := ix.Method("net", "TCPConn", "Close")
	require.True(t, ok)
	assert.Equal(t, "func (c *TCPConn) Close() error", e.Decl)
	assert.True(t, strings.HasPrefix(e.Doc, "Close closes the connection."), e.Doc)

	// From an exported type of the same package (go/doc's AllMethods).
	e, ok = ix.Method("bufio", "ReadWriter", "ReadString")
	require.True(t, ok)
	assert.Equal(t, "func (b ReadWriter) ReadString(delim byte) (string, error)", e.Decl)

	// From another package's type.
	e, ok = ix.Method("os/exec", "*ExitError", "ExitCode")
	require.True(t, ok)
	assert.Equal(t, "func (p *ExitError) ExitCode() int", e.Decl)
	assert.True(t, strings.HasPrefix(e.Doc, "ExitCode returns the exit code"), e.Doc)
	assert.Regexp(t, `^os/exec_posix\.go:[0-9]+$`, e.Pos)

	// Of an interface, from an embedded interface.
	e, ok = ix.Method("io", "ReadWriteCloser", "Close")
	require.True(t, ok)
	assert.Equal(t, "func (ReadWriteCloser) Close() error", e.Decl)

	// Of an alias, from the aliased type in another package.
	e, ok = ix.Method("os", "FileMode", "IsDir")
	require.True(t, ok)
	assert.Regexp(t, `^io/fs/fs\.go:[0-9]+$`, e.Pos)
	e, ok = ix.Lookup("os", "PathError.Op")
	require.True(t, ok)
	assert.Equal(t, "Op string", e.Decl)
}

// TestRealLeftOut checks that what the tables leave out has no entry.
func TestRealLeftOut(t *testing.T) {
	ix := realIndex(t)
	for _, name := range []struct{ path, name string }{
		{"sync", "OnceValue"},                            // generic
		{"sync/atomic", "Pointer"},                       // generic type
		{"sync/atomic", "Pointer.Load"},                  // its method
		{"errors", "AsType"},                             // generic
		{"golang.org/x/sys/unix", "NL80211_CMD_CONNECT"}, // leftOutPrefixes
		{"net", "NoSuchThing"},
		{"net", "conn"}, // unexported
		{"net", "TCPListener.NoSuchMethod"},
		{"github.com/sockbook/sockbook/internal/testenv", ""}, // no table
	} {
		_, ok := ix.Lookup(name.path, name.name)
		assert.False(t, ok, "%s %s", name.path, name.name)
	}
	_, ok := ix.Lookup("sync", "Once") // a non-generic neighbour stays
	assert.True(t, ok)
}

// A manifestEntry is what the test reads of the tables' manifest.json.
type manifestEntry struct {
	Path    string   `json:"path"`
	Name    string   `json:"name"`
	Funcs   []string `json:"funcs"`
	Skipped []string `json:"skipped"`
}

// TestRealMatchesManifest checks docs.json against the tables' manifest:
// every table has a package entry and every function it lists an entry, and
// nothing it left out has one. Both are generated together; this catches a
// generator that lets them drift apart.
func TestRealMatchesManifest(t *testing.T) {
	ix := realIndex(t)
	var manifest []manifestEntry
	require.NoError(t, json.Unmarshal(generated(t, "manifest.json"), &manifest))
	require.NotEmpty(t, manifest)
	n := 0
	for _, m := range manifest {
		e, ok := ix.Lookup(m.Path, "")
		if assert.True(t, ok, "no package entry for %s", m.Path) {
			assert.Equal(t, docs.KindPackage, e.Kind)
			assert.True(t, strings.HasPrefix(e.Decl, "package "+m.Name+" // import "), e.Decl)
			n++
		}
		for _, f := range m.Funcs {
			e, ok := ix.Lookup(m.Path, f)
			if assert.True(t, ok, "no entry for %s.%s", m.Path, f) {
				assert.Equal(t, docs.KindFunc, e.Kind, "%s.%s", m.Path, f)
				assert.True(t, strings.HasPrefix(e.Decl, "func "+f+"("), e.Decl)
			}
		}
		for _, s := range m.Skipped {
			_, ok := ix.Lookup(m.Path, s)
			assert.False(t, ok, "%s.%s is left out of the table but has an entry", m.Path, s)
		}
	}
	assert.Equal(t, len(manifest), n)
}

func BenchmarkParse(b *testing.B) {
	docsJSON := generated(b, "docs.json")
	b.SetBytes(int64(len(docsJSON)))
	for b.Loop() {
		if _, err := docs.Parse(docsJSON); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLookup times what an inspect request costs once the index is
// parsed: Lookup by name, Method by a value's dynamic type, and rendering
// the entry as text.
func BenchmarkLookup(b *testing.B) {
	ix := realIndex(b)
	b.Run("Lookup", func(b *testing.B) {
		for b.Loop() {
			if _, ok := ix.Lookup("net", "TCPListener.Accept"); !ok {
				b.Fatal("no net.TCPListener.Accept")
			}
		}
	})
	b.Run("Method", func(b *testing.B) {
		for b.Loop() {
			if _, ok := ix.Method("net", "*TCPListener", "Accept"); !ok {
				b.Fatal("no net.TCPListener.Accept")
			}
		}
	})
	e, _ := ix.Lookup("net", "TCPListener.Accept")
	b.Run("Text", func(b *testing.B) {
		for b.Loop() {
			_ = e.Text()
		}
	})
	b.Run("Markdown", func(b *testing.B) {
		for b.Loop() {
			_ = e.Markdown()
		}
	})
}
