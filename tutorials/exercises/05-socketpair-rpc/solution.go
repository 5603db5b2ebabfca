//go:build solution

// Package rpc runs a line-based calculator in a child process, connected to
// its parent by a socketpair.
package rpc

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// Pair returns the two connected ends of a Unix stream socketpair.
func Pair() (parent, child *os.File, err error) {
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("rpc: socketpair: %w", err)
	}
	return os.NewFile(uintptr(fds[0]), "socketpair-parent"), os.NewFile(uintptr(fds[1]), "socketpair-child"), nil
}

// maxLine bounds a request so a peer cannot make the server buffer without
// limit.
const maxLine = 4096

// Serve answers requests read from rw until the stream ends.
func Serve(rw io.ReadWriter) error {
	sc := bufio.NewScanner(rw)
	sc.Buffer(make([]byte, 0, 256), maxLine)
	for sc.Scan() {
		answer := "ok "
		if v, err := eval(sc.Text()); err != nil {
			answer = "err " + err.Error()
		} else {
			answer += strconv.FormatInt(v, 10)
		}
		if _, err := io.WriteString(rw, answer+"\n"); err != nil {
			return fmt.Errorf("rpc: answer: %w", err)
		}
	}
	return sc.Err()
}

func eval(req string) (int64, error) {
	f := strings.Fields(req)
	if len(f) != 3 {
		return 0, fmt.Errorf("request %q: want \"<op> <a> <b>\"", req)
	}
	a, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("request %q: operand %q is not an integer", req, f[1])
	}
	b, err := strconv.ParseInt(f[2], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("request %q: operand %q is not an integer", req, f[2])
	}
	switch f[0] {
	case "add":
		return a + b, nil
	case "mul":
		return a * b, nil
	}
	return 0, fmt.Errorf("request %q: unknown op %q", req, f[0])
}

// A Client sends requests to a Serve at the other end of a stream.
type Client struct {
	w io.Writer
	r *bufio.Reader // kept across calls: it may hold the start of the next answer
}

// NewClient returns a client that talks over rw.
func NewClient(rw io.ReadWriter) *Client {
	return &Client{w: rw, r: bufio.NewReader(rw)}
}

// Call asks the server to compute op ("add" or "mul") of a and b.
func (c *Client) Call(op string, a, b int64) (int64, error) {
	if strings.ContainsAny(op, " \n") {
		return 0, fmt.Errorf("rpc: op %q contains a space or newline", op)
	}
	if _, err := fmt.Fprintf(c.w, "%s %d %d\n", op, a, b); err != nil {
		return 0, fmt.Errorf("rpc: send %s: %w", op, err)
	}
	line, err := c.r.ReadString('\n')
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return 0, fmt.Errorf("rpc: answer to %s: %w", op, err)
	}
	line = strings.TrimSuffix(line, "\n")
	if reason, ok := strings.CutPrefix(line, "err "); ok {
		return 0, fmt.Errorf("rpc: server: %s", reason)
	}
	v, ok := strings.CutPrefix(line, "ok ")
	if !ok {
		return 0, fmt.Errorf("rpc: malformed answer %q", line)
	}
	return strconv.ParseInt(v, 10, 64)
}
