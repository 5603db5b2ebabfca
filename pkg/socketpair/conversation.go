package socketpair

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
)

// A Conversation is an exchange between a parent and a child over the two
// ends of a socketpair. [Duplex] and [PingPong] return the cheat sheet's
// two; both sides of each are built into this package, so a re-executed
// child can find its part from the conversation's name alone.
type Conversation struct {
	name   string // the child's side, as named in ChildEnv
	rounds int    // PingPong only
}

// Duplex returns the cheat sheet's duplex exchange: the child sends "Hello
// Parent", the parent prints it and echoes it back, and the child prints
// the echo.
//
//	child ---> parent: Hello Parent
//	parent ---> child: Hello Parent
func Duplex() Conversation { return Conversation{name: "duplex"} }

// PingPong returns the cheat sheet's "similar to a pipe" exchange, for a
// fixed number of rounds: the parent sends "Hi! Child!", the child prints
// it and answers "Hi! Parent!", which the parent prints. Each side waits
// for the other, so the lines alternate strictly. rounds must be positive.
func PingPong(rounds int) Conversation { return Conversation{name: "pipe", rounds: rounds} }

// String returns the conversation's name: "duplex" or "pipe".
func (c Conversation) String() string {
	if c.name == "" {
		return "zero Conversation"
	}
	return c.name
}

// start is the check of every way of running c, before anything is
// opened: c is valid and ctx has not ended. It returns the writer to
// print to, io.Discard for a nil out.
func (c Conversation) start(ctx context.Context, out io.Writer) (io.Writer, error) {
	switch {
	case c.name == "":
		return nil, errors.New("socketpair: zero Conversation: use Duplex or PingPong")
	case c.name == "pipe" && c.rounds <= 0:
		return nil, fmt.Errorf("socketpair: pipe: rounds %d: must be positive", c.rounds)
	case ctx.Err() != nil:
		return nil, fmt.Errorf("socketpair: %s: not started: %w", c, ctx.Err())
	case out == nil:
		return io.Discard, nil
	}
	return out, nil
}

// A failure is what went wrong with one part of a run; a nil err means
// that part did its job.
type failure struct {
	what string // "parent", "child", ...
	err  error
}

// wrap returns nil when no part failed, or one error that names c, says
// what failed and how, and matches each failure's err with errors.Is.
func (c Conversation) wrap(parts ...failure) error {
	var verbs []string
	var args []any
	for _, f := range parts {
		if f.err != nil {
			verbs = append(verbs, "%s: %w")
			args = append(args, f.what, f.err)
		}
	}
	if len(args) == 0 {
		return nil
	}
	return fmt.Errorf("socketpair: "+c.String()+": "+strings.Join(verbs, "; "), args...)
}

// A side is what one process runs over its end. Output lines go to out.
type side func(conn net.Conn, out io.Writer) error

// parent returns the parent's side of c.
func (c Conversation) parent() side {
	if c.name == "duplex" {
		return duplexParent
	}
	return func(conn net.Conn, out io.Writer) error { return pingPongParent(conn, out, c.rounds) }
}

// childSide returns the child's side of the conversation called name.
func childSide(name string) (side, error) {
	switch name {
	case "duplex":
		return duplexChild, nil
	case "pipe":
		return pingPongChild, nil
	}
	return nil, fmt.Errorf("socketpair: %s=%q: unknown conversation (want duplex or pipe)", ChildEnv, name)
}

const (
	helloParent = "Hello Parent"
	hiChild     = "Hi! Child!"
	hiParent    = "Hi! Parent!"
)

func duplexChild(conn net.Conn, out io.Writer) error {
	if err := send(conn, helloParent); err != nil {
		return fmt.Errorf("send to parent: %w", err)
	}
	msg, err := receive(bufio.NewReaderSize(conn, maxMessage))
	if err != nil {
		return fmt.Errorf("read from parent: %w", err)
	}
	_, err = fmt.Fprintf(out, "parent ---> child: %s\n", msg)
	return err
}

func duplexParent(conn net.Conn, out io.Writer) error {
	msg, err := receive(bufio.NewReaderSize(conn, maxMessage))
	if err != nil {
		return fmt.Errorf("read from child: %w", err)
	}
	// Print before echoing: the child prints only after the echo arrives,
	// which keeps the two processes' lines in order.
	if _, err := fmt.Fprintf(out, "child ---> parent: %s\n", msg); err != nil {
		return err
	}
	if err := send(conn, msg); err != nil {
		return fmt.Errorf("echo to child: %w", err)
	}
	return nil
}

func pingPongParent(conn net.Conn, out io.Writer, rounds int) error {
	r := bufio.NewReaderSize(conn, maxMessage)
	for i := 1; i <= rounds; i++ {
		if err := send(conn, hiChild); err != nil {
			return fmt.Errorf("round %d: send to child: %w", i, err)
		}
		msg, err := receive(r)
		if err != nil {
			return fmt.Errorf("round %d: read from child: %w", i, err)
		}
		if _, err := fmt.Fprintln(out, msg); err != nil {
			return err
		}
	}
	return nil
}

// pingPongChild answers until the parent closes its end.
func pingPongChild(conn net.Conn, out io.Writer) error {
	r := bufio.NewReaderSize(conn, maxMessage)
	for {
		msg, err := receive(r)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read from parent: %w", err)
		}
		if _, err := fmt.Fprintln(out, msg); err != nil {
			return err
		}
		if err := send(conn, hiParent); err != nil {
			return fmt.Errorf("send to parent: %w", err)
		}
	}
}

// maxMessage bounds a message, newline included, so a peer that never
// sends a newline cannot make the reader buffer without limit.
const maxMessage = 1024

func send(conn net.Conn, msg string) error {
	_, err := io.WriteString(conn, msg+"\n")
	return err
}

// receive reads one newline-terminated message and returns it without the
// newline. A clean end of stream between messages is io.EOF; one in the
// middle of a message is io.ErrUnexpectedEOF.
func receive(r *bufio.Reader) (string, error) {
	line, err := r.ReadSlice('\n')
	switch {
	case errors.Is(err, bufio.ErrBufferFull):
		return "", fmt.Errorf("message longer than %d bytes", maxMessage)
	case errors.Is(err, io.EOF) && len(line) > 0:
		return "", fmt.Errorf("message %q cut short: %w", line, io.ErrUnexpectedEOF)
	case err != nil:
		return "", err
	}
	return string(line[:len(line)-1]), nil
}
