package notebooks_test

import (
	"context"
	"testing"
	"time"

	"github.com/sockbook/sockbook/tools/nbrun"
	"github.com/stretchr/testify/require"
)

// BenchmarkCheckAll checks every notebook once per iteration, one after
// the other, with our runner and with Debian's nbclient, side by side:
//
//	go test ./notebooks -run '^$' -bench CheckAll -benchtime 3x
//
// The target is all nine chapters in at most 60 s with our runner, and at
// least twice as fast as nbclient.
func BenchmarkCheckAll(b *testing.B) {
	paths := notebookFiles(b)
	if len(paths) == 0 {
		b.Skip("no notebooks yet")
	}
	s := spec(b)
	b.Run("runner", func(b *testing.B) {
		for b.Loop() {
			for _, p := range paths {
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
				results, err := nbrun.RunFile(ctx, p, s, nbrun.Options{}, nil)
				cancel()
				require.NoError(b, err)
				for _, r := range results {
					if r.Status == nbrun.Failed {
						b.Fatalf("%s %s: %s", p, r.Name(), r.Reason)
					}
				}
			}
		}
	})
	b.Run("nbclient", func(b *testing.B) {
		needJupyter(b)
		dataDir := installSpec(b, s)
		for b.Loop() {
			for _, p := range paths {
				runNbclient(b, dataDir, p)
			}
		}
	})
}
