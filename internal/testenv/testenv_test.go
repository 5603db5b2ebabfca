package testenv

import (
	"fmt"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRequired(t *testing.T) {
	t.Setenv("SOCKBOOK_REQUIRE", "root,glibc")
	assert.True(t, Required(Root))
	assert.True(t, Required(Glibc))
	assert.False(t, Required(IPv6))

	t.Setenv("SOCKBOOK_REQUIRE", "all")
	assert.True(t, Required(AFALG))

	t.Setenv("SOCKBOOK_REQUIRE", "")
	assert.False(t, Required(Root))
}

// recordingTB is a testing.TB whose cleanups run when the test says and
// whose failures are recorded instead of failing the test, so CheckFDs can
// be run and judged.
type recordingTB struct {
	testing.TB
	cleanups []func()
	errors   []string
}

func (r *recordingTB) Helper()                   {}
func (r *recordingTB) Cleanup(f func())          { r.cleanups = append(r.cleanups, f) }
func (r *recordingTB) Errorf(f string, a ...any) { r.errors = append(r.errors, fmt.Sprintf(f, a...)) }

// end runs the cleanups, last registered first, as testing does.
func (r *recordingTB) end() {
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		r.cleanups[i]()
	}
}

func TestCheckFDsNoticesALeak(t *testing.T) {
	if OpenFDs() < 0 {
		t.Fatal("no /proc/self/fd: CheckFDs cannot count descriptors here")
	}
	leaky := &recordingTB{TB: t}
	CheckFDs(leaky)
	f, err := os.Open("/dev/null")
	require.NoError(t, err)
	defer f.Close()
	leaky.end() // waits out CheckFDs's two-second grace period
	require.Len(t, leaky.errors, 1, "CheckFDs did not report the descriptor left open")
	assert.Contains(t, leaky.errors[0], "file descriptor leak")

	clean := &recordingTB{TB: t}
	CheckFDs(clean)
	g, err := os.Open("/dev/null")
	require.NoError(t, err)
	g.Close()
	clean.end()
	assert.Empty(t, clean.errors, "CheckFDs reported a leak when every descriptor was closed")
}
