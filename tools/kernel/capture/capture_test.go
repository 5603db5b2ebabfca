package capture

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// collector gathers what a Capture emits.
type collector struct {
	mu   sync.Mutex
	text map[string]*strings.Builder
	n    map[string]int // calls per stream
}

func newCollector() *collector {
	return &collector{text: map[string]*strings.Builder{Stdout: {}, Stderr: {}}, n: map[string]int{}}
}

func (c *collector) emit(stream, text string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.text[stream].WriteString(text)
	c.n[stream]++
}

func (c *collector) get(stream string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.text[stream].String()
}

func (c *collector) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, b := range c.text {
		b.Reset()
	}
}

func TestFlushIsABarrier(t *testing.T) {
	col := newCollector()
	c, err := Start(Variables, col.emit)
	require.NoError(t, err)
	defer c.Close()
	for i := range 50 {
		fmt.Fprintf(os.Stdout, "line %d\n", i)
		fmt.Fprint(os.Stderr, "e")
		require.NoError(t, c.Flush())
		// Everything written before Flush is there, and nothing else:
		// no marker bytes leak.
		assert.Equal(t, fmt.Sprintf("line %d\n", i), col.get(Stdout))
		assert.Equal(t, "e", col.get(Stderr))
		col.reset()
	}
}

func TestSplitUTF8AndMarkersAreReassembled(t *testing.T) {
	col := newCollector()
	c, err := Start(Variables, col.emit)
	require.NoError(t, err)
	defer c.Close()
	// A three-byte rune written one byte at a time must reach the
	// callback whole: each emitted chunk is valid UTF-8.
	for _, b := range []byte("€") {
		os.Stdout.Write([]byte{b})
	}
	// Text that looks like the start of a marker is not swallowed.
	os.Stdout.Write(c.marker[:5])
	require.NoError(t, c.Flush())
	assert.Equal(t, "€"+string(c.marker[:5]), col.get(Stdout))
}

func TestLargeOutputArrivesInFewChunks(t *testing.T) {
	col := newCollector()
	c, err := Start(Variables, col.emit)
	require.NoError(t, err)
	defer c.Close()
	line := strings.Repeat("x", 99) + "\n"
	go func() {
		for range 10000 {
			os.Stdout.WriteString(line)
		}
	}()
	// The writer may still be writing; wait for all of it.
	for len(col.get(Stdout)) < 10000*len(line) {
		require.NoError(t, c.Flush())
	}
	assert.Equal(t, strings.Repeat(line, 10000), col.get(Stdout))
	col.mu.Lock()
	calls := col.n[Stdout]
	col.mu.Unlock()
	assert.Less(t, calls, 10000, "writes are coalesced")
}

func TestCloseRestoresVariables(t *testing.T) {
	out, errf := os.Stdout, os.Stderr
	col := newCollector()
	c, err := Start(Variables, col.emit)
	require.NoError(t, err)
	assert.NotSame(t, out, os.Stdout)
	os.Stdout.WriteString("last words")
	require.NoError(t, c.Close())
	assert.Same(t, out, os.Stdout)
	assert.Same(t, errf, os.Stderr)
	assert.Equal(t, "last words", col.get(Stdout), "Close passes on what was written")
	assert.Error(t, c.Flush())
}

// TestDescriptors captures fds 1 and 2 in a child process (this test binary
// again), so that the test's own output is left alone: a child process of
// the child, and the builtin println, which write to the descriptors
// directly, are captured too.
func TestDescriptors(t *testing.T) {
	if os.Getenv("CAPTURE_CHILD") == "1" {
		descriptorsChild()
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestDescriptors$")
	cmd.Env = append(os.Environ(), "CAPTURE_CHILD=1")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	got := string(out)
	assert.Contains(t, got, "captured stdout: \"from fmt\\nfrom a child process\\n\"")
	assert.Contains(t, got, "captured stderr: \"from println\\n\"")
	assert.Contains(t, got, "after close, on the real stdout")
}

func descriptorsChild() {
	col := newCollector()
	c, err := Start(Descriptors, col.emit)
	if err != nil {
		panic(err)
	}
	fmt.Println("from fmt")
	echo := exec.Command("echo", "from a child process")
	echo.Stdout = os.Stdout // fd 1, inherited by the child
	if err := echo.Run(); err != nil {
		panic(err)
	}
	println("from println")
	if err := c.Flush(); err != nil {
		panic(err)
	}
	fmt.Fprintf(c.Original(), "captured stdout: %q\n", col.get(Stdout))
	fmt.Fprintf(c.Original(), "captured stderr: %q\n", col.get(Stderr))
	if err := c.Close(); err != nil {
		panic(err)
	}
	fmt.Println("after close, on the real stdout")
}
