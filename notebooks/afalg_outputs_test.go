package notebooks_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/sockbook/sockbook/tools/nbformat"
	"github.com/sockbook/sockbook/tools/nbrun"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAFALGOutputsShowTheKernel checks what a reader of chapter 08 sees,
// on any host: its outputs come from a guest with AF_ALG, so every code
// cell has stored output and every backend line names the kernel. The
// golden run cannot check this where AF_ALG is missing (it skips those
// cells), and the guest run (.ci/afalg-vm) checks the outputs are real.
func TestAFALGOutputsShowTheKernel(t *testing.T) {
	data, err := os.ReadFile("08-afalg.ipynb")
	require.NoError(t, err)
	nb, err := nbformat.Parse(data)
	require.NoError(t, err)
	backendLines := 0
	for i, c := range nb.Cells {
		if c.Type != "code" {
			continue
		}
		out := nbrun.Render(c.Outputs)
		assert.NotEmpty(t, strings.TrimSpace(out), "cell %d (%s) has no stored output", i, c.ID)
		for line := range strings.Lines(out) {
			if strings.HasPrefix(line, "backend: ") {
				backendLines++
				assert.Equal(t, "backend: kernel (AF_ALG)\n", line, "cell %d (%s)", i, c.ID)
			}
		}
	}
	assert.Positive(t, backendLines, fmt.Sprintf("no cell of %d prints its backend", len(nb.Cells)))
}
