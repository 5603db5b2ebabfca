// Package chromium starts the headless Chromium that the browser tests of
// the site (tools/site/sitegen) and of the kernel's Jupyter front ends
// (tools/kernel/frontends) drive through chromedp.
package chromium

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// Start starts the browser exe (see testenv.ChromiumPath) for t, headless,
// with a fresh profile, a 1280×900 window and none of the background
// traffic a browser normally makes, and returns its context. The browser
// stops and its profile is removed when t ends.
//
// The sandbox is off: Chromium refuses it as root, as CI runs, and the
// pages it loads are the tests' own, served on loopback.
func Start(t testing.TB, exe string) context.Context {
	t.Helper()
	profile, err := os.MkdirTemp("", "sockbook-chromium-")
	require.NoError(t, err)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(profile),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.WindowSize(1280, 900))
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
		// Chromium's helpers can write into the profile for a moment after
		// the browser exits.
		for range 50 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	require.NoError(t, chromedp.Do(ctx), "start chromium")
	return ctx
}
