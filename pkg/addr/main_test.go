package addr

import (
	"testing"

	"go.uber.org/goleak"
)

// The resolver runs lookups on goroutines of its own; none may outlive a test.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
