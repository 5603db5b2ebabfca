package recipes_test

import (
	"testing"

	"github.com/sockbook/sockbook/recipes"
	"github.com/sockbook/sockbook/tools/site/sitegen"
	"github.com/stretchr/testify/require"
)

// TestSiteCoverage builds the site and checks that every recipe claimed for
// the site face has its id on its chapter page and on the cheat sheet.
// (It lives in package recipes_test: the site generator imports recipes.)
func TestSiteCoverage(t *testing.T) {
	rs, err := recipes.All()
	require.NoError(t, err)
	out := t.TempDir()
	_, err = sitegen.Build(sitegen.Config{Root: "..", Out: out})
	require.NoError(t, err)
	problems, err := sitegen.Coverage(out, rs)
	require.NoError(t, err)
	for _, p := range problems {
		t.Error(p)
	}
	claimed := 0
	for _, r := range rs {
		if r.Claimed[recipes.Site] {
			claimed++
		}
	}
	t.Logf("%d recipes claimed for the site face, all found on their chapter page and the cheat sheet", claimed)
}
