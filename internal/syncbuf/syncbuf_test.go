package syncbuf

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestConcurrentWritesAndReads(t *testing.T) {
	var b Buffer
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() { fmt.Fprintf(&b, "line %d\n", i) })
		wg.Go(func() { _ = b.String() })
	}
	wg.Wait()
	assert.Equal(t, 50, strings.Count(b.String(), "\n"))
}

func TestWriterSerializesWrites(t *testing.T) {
	var out strings.Builder // not safe for concurrent use: -race fails without the lock
	w := NewWriter(&out)
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() { fmt.Fprintf(w, "line %d\n", i) })
	}
	wg.Wait()
	assert.Equal(t, 50, strings.Count(out.String(), "\n"))
}
