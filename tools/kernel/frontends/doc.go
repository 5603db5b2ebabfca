// Package frontends tests the sockbook kernel through the front ends a
// reader uses, not through the repository's own Jupyter client: Debian's
// classic Notebook 6.4 driven in a headless chromium, and jupyter console
// running in a tmux pane. The kernelspec is installed into temporary Jupyter
// folders with tools/kernel's installer, so the tests leave the user's
// Jupyter alone.
//
// The package holds only tests. Each one skips when its tools are missing
// (requirement "jupyter" for jupyter-notebook, jupyter console and tmux,
// "chromium" for the browser), and fails instead where SOCKBOOK_REQUIRE
// promises them, as .ci/jupyter does.
package frontends
