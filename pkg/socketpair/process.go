package socketpair

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"time"
)

// ChildEnv is the environment variable that tells a re-executed program it
// is the child of a conversation, and which one. Its value is the
// conversation's name.
const ChildEnv = "SOCKBOOK_SOCKETPAIR_CHILD"

// childFD is the child's end of the pair in the child: the first entry of
// exec.Cmd.ExtraFiles, after standard input, output and error.
const childFD = 3

// IsChild reports whether this process was started as the child of a
// conversation, that is whether ChildEnv is set.
func IsChild() bool {
	_, ok := os.LookupEnv(ChildEnv)
	return ok
}

// RunChildIfRequested plays the child's side and exits when this process
// was started as the child of a conversation; otherwise it returns at once.
// Call it first thing in main, or in TestMain when tests or examples call
// [Conversation.RunProcesses]. The child exits with status 1 after
// printing its error to standard error, or with status 0.
func RunChildIfRequested() {
	if !IsChild() {
		return
	}
	if err := RunChild(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(0)
}

// RunChild plays the child's side of the conversation named by ChildEnv
// over descriptor 3, writing its lines to out, and returns when the
// conversation ends or ctx does. Programs that cannot call
// [RunChildIfRequested] from main (a subcommand, say) call it themselves
// when [IsChild] reports true.
func RunChild(ctx context.Context, out io.Writer) error {
	name, ok := os.LookupEnv(ChildEnv)
	if !ok {
		return fmt.Errorf("socketpair: %s is not set: this process is not a socketpair child", ChildEnv)
	}
	play, err := childSide(name)
	if err != nil {
		return err
	}
	if out == nil {
		out = io.Discard
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("socketpair: %s child: %w", name, err)
	}
	f := os.NewFile(childFD, "socketpair child end")
	if f == nil {
		return fmt.Errorf("socketpair: %s child: no descriptor %d", name, childFD)
	}
	conn, err := net.FileConn(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("socketpair: %s child: descriptor %d is not the socketpair: %w", name, childFD, err)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	if err := play(conn, out); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("socketpair: %s child: %w", name, ctx.Err())
		}
		return fmt.Errorf("socketpair: %s child: %w", name, err)
	}
	return nil
}

// RunProcesses runs c between this process and a copy of it: it re-executes
// os.Executable() with no arguments as the child (see the package
// documentation), plays the parent, waits for the child to exit and
// returns. Both processes' lines go to out, in the order they were written.
// The program must call [RunChildIfRequested] at start.
func (c Conversation) RunProcesses(ctx context.Context, out io.Writer) error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("socketpair: %s: finding this program to re-execute: %w", c, err)
	}
	return c.RunCmd(ctx, exec.Command(exe), out)
}

// RunCmd is RunProcesses with the child's command given: the program and
// arguments of cmd, which must play the child when it finds ChildEnv set
// (through [RunChildIfRequested] or [RunChild]). RunCmd sets cmd's Stdout
// and Stderr, adds ChildEnv to its environment and puts the child's end
// first in its ExtraFiles; it must not have been started.
//
// Both processes write their lines into one pipe, which RunCmd copies to
// out, so lines keep the order in which they were written even when out is
// not a file.
//
// If the parent's side fails, or ctx ends, the child is killed. In every
// case the child has been waited for when RunCmd returns, and every
// descriptor RunCmd opened is closed. Errors name the side that failed and
// carry the child's exit status and the start of its standard error.
func (c Conversation) RunCmd(ctx context.Context, cmd *exec.Cmd, out io.Writer) error {
	out, err := c.start(ctx, out)
	if err != nil {
		return err
	}
	switch {
	case cmd == nil:
		return fmt.Errorf("socketpair: %s: nil exec.Cmd", c)
	case cmd.Process != nil:
		return fmt.Errorf("socketpair: %s: command %s already started", c, cmd.Path)
	case IsChild():
		// Without this check, a program that forgot RunChildIfRequested
		// would start a child that starts a child, and so on.
		return fmt.Errorf("socketpair: %s: this process is itself a socketpair child (%s is set) that is trying to start another; call socketpair.RunChildIfRequested at the start of main or TestMain", c, ChildEnv)
	}

	parentFile, childFile, err := files()
	if err != nil {
		return err
	}
	defer childFile.Close()
	conn, err := fileConn(parentFile)
	if err != nil {
		return err
	}
	defer conn.Close()
	r, w, err := os.Pipe()
	if err != nil {
		return fmt.Errorf("socketpair: %s: output pipe: %w", c, err)
	}
	defer r.Close()
	defer w.Close()

	stderr := &prefixBuffer{max: 4096}
	cmd.Stdout, cmd.Stderr = w, stderr
	cmd.ExtraFiles = append([]*os.File{childFile}, cmd.ExtraFiles...)
	cmd.Env = append(cmd.Environ(), ChildEnv+"="+c.name)
	if cmd.WaitDelay == 0 {
		// Bounds Wait should a grandchild keep the child's stderr open.
		cmd.WaitDelay = 5 * time.Second
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("socketpair: %s: start child: %w", c, err)
	}
	// The child has its own copy now. Dropping ours means the parent reads
	// end of file as soon as the child is gone.
	childFile.Close()

	copied := make(chan error, 1)
	go func() {
		_, err := io.Copy(out, r)
		if err != nil {
			// Keep draining: a full pipe would block both processes.
			_, _ = io.Copy(io.Discard, r)
		}
		copied <- err
	}()
	stop := context.AfterFunc(ctx, func() {
		_ = conn.SetDeadline(time.Unix(1, 0))
		_ = cmd.Process.Kill()
	})

	perr := c.parent()(conn, w)
	if perr != nil {
		_ = cmd.Process.Kill()
	}
	conn.Close() // the child reads end of file: the conversation is over
	werr := cmd.Wait()
	stop()
	w.Close() // with the child's copy gone too, the copy below ends
	cerr := <-copied

	if ctx.Err() != nil && (perr != nil || werr != nil) {
		return fmt.Errorf("socketpair: %s: child killed: %w", c, ctx.Err())
	}
	if msg := strings.TrimSpace(stderr.String()); werr != nil && msg != "" {
		werr = fmt.Errorf("%w: %s", werr, msg)
	}
	return c.wrap(failure{"parent", perr}, failure{"child " + cmd.Path, werr}, failure{"copying output", cerr})
}

// prefixBuffer keeps the first max bytes written to it and discards the
// rest, so a child that floods its standard error cannot exhaust memory.
type prefixBuffer struct {
	max int
	buf []byte
}

func (b *prefixBuffer) Write(p []byte) (int, error) {
	if room := b.max - len(b.buf); room > 0 {
		b.buf = append(b.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

func (b *prefixBuffer) String() string { return string(b.buf) }
