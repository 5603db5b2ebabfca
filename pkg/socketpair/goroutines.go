package socketpair

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/sockbook/sockbook/internal/syncbuf"
)

// RunGoroutines runs c within this process: the child's side runs in a
// goroutine over one end of a new pair, the parent's side over the other,
// with the same code the two processes of [Conversation.RunProcesses]
// run. It writes the same lines to out and returns when both sides are
// done or ctx ends. It suits hosts that cannot re-execute themselves, such
// as a notebook's interpreter.
func (c Conversation) RunGoroutines(ctx context.Context, out io.Writer) error {
	out, err := c.start(ctx, out)
	if err != nil {
		return err
	}
	parentConn, childConn, err := Pair()
	if err != nil {
		return err
	}
	defer parentConn.Close()
	stop := context.AfterFunc(ctx, func() {
		_ = parentConn.SetDeadline(time.Unix(1, 0))
		_ = childConn.SetDeadline(time.Unix(1, 0))
	})
	defer stop()

	// The two sides take turns by protocol, but the race detector cannot
	// see an ordering that goes through a socket: lock out explicitly.
	lw := syncbuf.NewWriter(out)
	play, err := childSide(c.name)
	if err != nil {
		childConn.Close()
		return err
	}
	childDone := make(chan error, 1)
	go func() {
		defer childConn.Close()
		childDone <- play(childConn, lw)
	}()
	perr := c.parent()(parentConn, lw)
	parentConn.Close()
	cerr := <-childDone

	if ctx.Err() != nil && (perr != nil || cerr != nil) {
		return fmt.Errorf("socketpair: %s: %w", c, ctx.Err())
	}
	return c.wrap(failure{"parent", perr}, failure{"child", cerr})
}
