package chromium

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/stretchr/testify/require"
)

// Axe is the requirement name for axe-core (internal/testenv): CI lists it
// and testenv.Chromium in SOCKBOOK_REQUIRE (see .ci/site), so there the
// accessibility checks fail instead of skipping.
const Axe = "axe-core"

// AxeSource returns axe.min.js from SOCKBOOK_AXE or from where .ci/site
// installs it, and skips t (through testenv) when there is none.
func AxeSource(t testing.TB) string {
	t.Helper()
	candidates := []string{os.Getenv("SOCKBOOK_AXE")}
	if home, err := os.UserHomeDir(); err == nil {
		candidates = append(candidates, filepath.Join(home, ".cache", "sockbook-axe", "node_modules", "axe-core", "axe.min.js"))
	}
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if data, err := os.ReadFile(c); err == nil {
			return string(data)
		}
	}
	testenv.Skip(t, Axe, "no axe.min.js (npm install axe-core, as .ci/site does, or set SOCKBOOK_AXE)")
	return ""
}

// A Violation is one rule axe-core found broken on a page, with up to
// five of the elements that break it.
type Violation struct {
	ID, Impact, Help string
	Nodes            []string
}

// RunAxe checks the page open in ctx with axe-core (src, from AxeSource),
// injecting it first if the page has not got it. With coloursOnly only
// the colour rules run, for a second theme of the same markup.
func RunAxe(t testing.TB, ctx context.Context, src string, coloursOnly bool) []Violation {
	t.Helper()
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === "object"`))
	require.NoError(t, err)
	if !loaded {
		_, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](src+"\n;undefined", chromedp.EvalIgnoreExceptions))
		if err != nil && !strings.Contains(err.Error(), "undefined") {
			require.NoError(t, err, "inject axe")
		}
	}
	opts := `{resultTypes: ["violations"]}`
	if coloursOnly {
		opts = `{resultTypes: ["violations"], runOnly: ["color-contrast", "link-in-text-block"]}`
	}
	v, err := chromedp.Run(ctx, chromedp.Evaluate[[]Violation](`axe.run(document, `+opts+`).then(r => r.violations.map(v => ({
		ID: v.id, Impact: v.impact || "", Help: v.help, Nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))})))`, chromedp.EvalAwaitPromise))
	require.NoError(t, err, "axe.run")
	return v
}
