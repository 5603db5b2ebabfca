package classroom

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/tools/nbformat"
	"github.com/sockbook/sockbook/tools/nbrun"
)

// Podman is the requirement name for the classroom image, built from
// classroom/Containerfile and named by SOCKBOOK_CLASSROOM_IMAGE
// (.ci/classroom builds it), and a podman that can run it.
const Podman = "podman"

// nbclientStdio executes the notebook on stdin with nbclient, as Jupyter
// would, and writes the executed notebook to stdout.
const nbclientStdio = `
import sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.stdin, as_version=4)
NotebookClient(nb, kernel_name="sockbook", timeout=120).execute()
nbformat.write(nb, sys.stdout)
`

// podman returns the podman command line to use, SOCKBOOK_PODMAN (for
// example "podman --runtime /usr/sbin/runc") or plain podman, and the
// image to test; it skips (or fails, see testenv.Skip) without them.
func podman(t *testing.T) ([]string, string) {
	t.Helper()
	testenv.MustBeRoot(t) // rootful podman, as .ci/classroom builds the image
	image := os.Getenv("SOCKBOOK_CLASSROOM_IMAGE")
	if image == "" {
		testenv.Skip(t, Podman, "SOCKBOOK_CLASSROOM_IMAGE names no image (bash .ci/classroom builds one)")
	}
	cmd := strings.Fields(os.Getenv("SOCKBOOK_PODMAN"))
	if len(cmd) == 0 {
		cmd = []string{"podman"}
	}
	if out, err := exec.Command(cmd[0], append(cmd[1:], "image", "exists", image)...).CombinedOutput(); err != nil {
		testenv.Skip(t, Podman, fmt.Sprintf("%s image exists %s: %v %s", strings.Join(cmd, " "), image, err, out))
	}
	return cmd, image
}

// runArgs are podman run's arguments for a learner's container: the open
// files limit is this process's own (podman's default asks for more, which
// needs CAP_SYS_RESOURCE) and the process limit is set below the current
// one for the same reason.
func runArgs(t *testing.T) []string {
	t.Helper()
	var nofile syscall.Rlimit
	require.NoError(t, syscall.Getrlimit(syscall.RLIMIT_NOFILE, &nofile))
	return []string{"run", "--rm",
		"--ulimit", fmt.Sprintf("nofile=%d:%d", nofile.Max, nofile.Max),
		"--ulimit", "nproc=4096:4096"}
}

// The image runs a notebook: Debian's nbclient inside it executes
// 01-addresses in the image's sockbook kernel, as the learner and with no
// network, and the outputs match the stored ones.
func TestImageRunsANotebook(t *testing.T) {
	cmd, image := podman(t)
	stored, err := nbformat.ReadFile("../notebooks/01-addresses.ipynb")
	require.NoError(t, err)
	prepared, err := nbrun.ForJupyter(stored, nil)
	require.NoError(t, err)
	in := filepath.Join(t.TempDir(), "in.ipynb")
	require.NoError(t, nbformat.WriteFile(in, prepared))
	input, err := os.ReadFile(in)
	require.NoError(t, err)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	args := append(cmd[1:], runArgs(t)...)
	args = append(args, "-i", "--network", "none", image, "python3", "-c", nbclientStdio)
	run := exec.CommandContext(ctx, cmd[0], args...)
	run.Stdin = bytes.NewReader(input)
	var stdout, stderr bytes.Buffer
	run.Stdout, run.Stderr = &stdout, &stderr
	require.NoError(t, run.Run(), "nbclient in %s:\n%s", image, stderr.String())
	executed, err := nbformat.Parse(stdout.Bytes())
	require.NoError(t, err)
	results, err := nbrun.Compare(stored, executed)
	require.NoError(t, err)
	ran := 0
	for _, r := range results {
		if r.Status == nbrun.Passed {
			ran++
		}
		assert.NotEqual(t, nbrun.Failed, r.Status, "%s: %s\n%s", r.Name(), r.Reason, r.Diff)
	}
	assert.Positive(t, ran, "no cell ran")
	t.Logf("01-addresses in %s: %d of %d code cells ran and match", image, ran, len(results))
}

// The image's own command serves the notebook server with a token, as a
// user who is not root, and the server lists the sockbook kernel.
func TestImageServesNotebooks(t *testing.T) {
	cmd, image := podman(t)
	ports := freePorts(t, 1)
	token := "classroom-test-token"
	args := append(cmd[1:], runArgs(t)...)
	args = append(args, "-d", "-p", fmt.Sprintf("127.0.0.1:%d:8888", ports[0]), "-e", "JUPYTER_TOKEN="+token, image)
	out, err := exec.Command(cmd[0], args...).Output()
	require.NoError(t, err, "podman run -d")
	id := strings.TrimSpace(string(out))
	t.Cleanup(func() {
		if out, err := exec.Command(cmd[0], append(cmd[1:], "rm", "-f", id)...).CombinedOutput(); err != nil {
			t.Errorf("podman rm -f %s: %v %s", id, err, out)
		}
	})

	url := fmt.Sprintf("http://127.0.0.1:%d/api/kernelspecs", ports[0])
	var specs struct{ Kernelspecs map[string]any }
	deadline := time.Now().Add(time.Minute)
	for {
		req, err := http.NewRequest("GET", url, nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "token "+token)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			status := resp.StatusCode
			err = json.NewDecoder(resp.Body).Decode(&specs)
			resp.Body.Close()
			if status == http.StatusOK && err == nil {
				break
			}
			err = fmt.Errorf("status %d, %v", status, err)
		}
		require.True(t, time.Now().Before(deadline), "the image's notebook server did not answer %s within a minute: %v", url, err)
		time.Sleep(200 * time.Millisecond)
	}
	assert.Contains(t, specs.Kernelspecs, "sockbook")

	// Without the token the server refuses.
	resp, err := http.Get(url)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "the server answers without a token")

	uid, err := exec.Command(cmd[0], append(cmd[1:], "exec", id, "id", "-u")...).Output()
	require.NoError(t, err)
	assert.NotEqual(t, "0", strings.TrimSpace(string(uid)), "the notebook server runs as root")
}
