//go:build !(glibc && cgo)

package addr

import (
	"testing"

	"github.com/sockbook/sockbook/internal/testenv"
)

// TestParsersMatchGlibc is the differential test against the C library in
// glibc_test.go; it needs cgo and the glibc build tag.
func TestParsersMatchGlibc(t *testing.T) {
	testenv.Skip(t, testenv.Glibc, "build with -tags glibc and CGO_ENABLED=1 to compare against the C library")
}
