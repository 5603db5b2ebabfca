package main

// The tests of this package run the sockbook binary the way a user does;
// this file builds it once and holds every way they run it and read what
// it prints.

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

// execCLI runs the command to completion (at most 30 s) with stdin as its
// standard input and returns its standard output, standard error and exit
// error.
func execCLI(stdin string, args ...string) (stdout, stderr string, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var o, e bytes.Buffer
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return o.String(), e.String(), err
}

// runCLI runs the command to completion and returns its standard output;
// it fails the test on a non-zero exit.
func runCLI(t *testing.T, args ...string) string {
	t.Helper()
	stdout, stderr, err := execCLI("", args...)
	require.NoError(t, err, "sockbook %s\nstderr:\n%s", strings.Join(args, " "), stderr)
	return stdout
}

// runCLIFail runs a command that must fail, as every failing command does,
// with exit status 1, and returns its standard output and standard error.
func runCLIFail(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	stdout, stderr, err := execCLI("", args...)
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, "sockbook %s should fail; output:\n%s%s", strings.Join(args, " "), stdout, stderr)
	assert.Equal(t, 1, exit.ExitCode(), "sockbook %s", strings.Join(args, " "))
	return stdout, stderr
}

// launchCLI starts the command and sends its standard output on lines, a
// line at a time. At cleanup it sends SIGINT and requires a clean exit
// within 10 s.
func launchCLI(t *testing.T, args ...string) (lines <-chan string) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	var stderr syncbuf.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	ch := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			select {
			case ch <- sc.Text():
			default: // a test that does not read lines must not block the command
			}
		}
		close(ch)
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
			<-done
			t.Errorf("sockbook %s did not stop within 10 s of SIGINT", strings.Join(args, " "))
		}
	})
	return ch
}

var listening = regexp.MustCompile(`^listening on (\S+) (\S+)$`)

// startCLI starts a server recipe, as launchCLI does, waits for its
// "listening on NETWORK ADDRESS" line and returns network and address.
// Further output lines are sent on lines.
func startCLI(t *testing.T, args ...string) (network, address string, lines <-chan string) {
	t.Helper()
	lines = launchCLI(t, args...)
	line := nextLine(t, lines)
	m := listening.FindStringSubmatch(line)
	require.NotNil(t, m, "first line %q of sockbook %s is not 'listening on NETWORK ADDRESS'", line, strings.Join(args, " "))
	return m[1], m[2], lines
}

// waitForLine returns the first line from lines that satisfies match,
// failing t if the output ends or 10 s pass first. what names the line
// awaited in the failure.
func waitForLine(t *testing.T, lines <-chan string, what string, match func(string) bool) string {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case line, ok := <-lines:
			require.True(t, ok, "output ended before %s", what)
			if match(line) {
				return line
			}
		case <-timeout:
			t.Fatalf("no %s within 10 s", what)
		}
	}
}

// waitLine returns the first line from lines containing substr.
func waitLine(t *testing.T, lines <-chan string, substr string) string {
	t.Helper()
	return waitForLine(t, lines, fmt.Sprintf("line with %q", substr), func(l string) bool { return strings.Contains(l, substr) })
}

// nextLine returns the next line from lines.
func nextLine(t *testing.T, lines <-chan string) string {
	t.Helper()
	return waitForLine(t, lines, "output line", func(string) bool { return true })
}
