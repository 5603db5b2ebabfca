package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sockbook/sockbook/internal/syncbuf"
	"github.com/sockbook/sockbook/recipes"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// binary is the sockbook command built once for all tests in this package.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "sockbook-cli")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "sockbook")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building sockbook: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// runCLI runs the command to completion (at most 30 s) and returns its
// standard output; it fails the test on a non-zero exit.
func runCLI(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "sockbook %s\nstderr:\n%s", strings.Join(args, " "), stderr.String())
	return stdout.String()
}

// runCLIExpectError runs the command to completion and returns its
// combined output and exit error, for commands expected to fail.
func runCLIExpectError(t *testing.T, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, binary, args...).CombinedOutput()
	return string(out), err
}

var listening = regexp.MustCompile(`^listening on (\S+) (\S+)$`)

// startCLI starts a server recipe, waits for its "listening on NETWORK
// ADDRESS" line and returns network and address. At cleanup it sends
// SIGINT and requires a clean exit within 10 s. Further output lines are
// sent on lines.
func startCLI(t *testing.T, args ...string) (network, address string, lines <-chan string) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	var stderr syncbuf.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	ch := make(chan string, 100)
	first := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		gotFirst := false
		for sc.Scan() {
			if !gotFirst {
				first <- sc.Text()
				gotFirst = true
				continue
			}
			select {
			case ch <- sc.Text():
			default: // a test that does not read lines must not block the server
			}
		}
		close(ch)
		if !gotFirst {
			close(first)
		}
	}()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGINT)
		select {
		case err := <-done:
			assert.NoError(t, err, "sockbook %s exit\nstderr:\n%s", strings.Join(args, " "), stderr.String())
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			t.Errorf("sockbook %s did not stop within 10 s of SIGINT", strings.Join(args, " "))
		}
	})
	select {
	case line, ok := <-first:
		require.True(t, ok, "sockbook %s printed nothing\nstderr:\n%s", strings.Join(args, " "), stderr.String())
		m := listening.FindStringSubmatch(line)
		require.NotNil(t, m, "first line %q is not 'listening on NETWORK ADDRESS'", line)
		return m[1], m[2], ch
	case <-time.After(10 * time.Second):
		t.Fatalf("sockbook %s did not report its address within 10 s", strings.Join(args, " "))
	}
	return "", "", nil
}

func TestHelpListsEverySlug(t *testing.T) {
	cmd := exec.Command(binary, "-h")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err)
	for _, c := range commands() {
		assert.Contains(t, string(out), c.slug)
	}
}

func TestUnknownRecipe(t *testing.T) {
	out, err := exec.Command(binary, "no-such-recipe").CombinedOutput()
	require.Error(t, err)
	assert.Contains(t, string(out), `unknown recipe "no-such-recipe"`)
}

// Every command is a recipe of the table, and every recipe the library face
// claims has a command.
func TestCommandsMatchRecipes(t *testing.T) {
	rs, err := recipes.All()
	require.NoError(t, err)
	bySlug := map[string]recipes.Recipe{}
	for _, r := range rs {
		bySlug[r.Slug] = r
	}
	have := map[string]bool{}
	for _, c := range commands() {
		_, ok := bySlug[c.slug]
		assert.True(t, ok, "command %q is not a recipe slug", c.slug)
		assert.False(t, have[c.slug], "command %q defined twice", c.slug)
		have[c.slug] = true
		assert.NotEmpty(t, c.short, "command %q has no description", c.slug)
	}
	for _, r := range rs {
		if r.Claimed[recipes.Library] {
			assert.True(t, have[r.Slug], "recipe %s is claimed for the library but has no sockbook command", r.Slug)
		}
	}
}
