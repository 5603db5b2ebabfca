//go:build solution

package kvserver

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/sockbook/sockbook/pkg/socketserver"
)

// ServeConn greets the client and answers its commands until it quits,
// breaks a rule of the protocol, goes away, or ctx ends.
func (h *Handler) ServeConn(ctx context.Context, conn net.Conn) {
	// A read blocked on an idle client wakes when the deadline moves into
	// the past; the server closes conn after we return.
	stop := context.AfterFunc(ctx, func() { conn.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()
	w := bufio.NewWriter(conn)
	say := func(format string, args ...any) bool {
		fmt.Fprintf(w, format+"\n", args...)
		return w.Flush() == nil
	}
	if !say("READY") {
		return
	}
	// The buffer bounds what one client can make the server hold: a line
	// that does not fit is refused, never grown.
	r := bufio.NewReaderSize(conn, MaxLine+2)
	for {
		line, err := r.ReadSlice('\n')
		if err == bufio.ErrBufferFull || len(strings.TrimRight(string(line), "\r\n")) > MaxLine {
			say("ERR line too long (more than %d bytes)", MaxLine)
			return
		}
		if err != nil {
			if ctx.Err() != nil {
				say("BYE")
			}
			return // the client went away, or the server is stopping
		}
		if !h.answer(strings.TrimSuffix(strings.TrimSuffix(string(line), "\n"), "\r"), say) {
			return
		}
	}
}

// answer carries out one command; false means the connection is over.
func (h *Handler) answer(line string, say func(string, ...any) bool) bool {
	cmd, rest, _ := strings.Cut(line, " ")
	switch cmd {
	case "SET":
		key, value, ok := strings.Cut(rest, " ")
		if !ok || key == "" {
			return say("ERR usage: SET key value")
		}
		h.Store.Set(key, value)
		return say("OK")
	case "GET", "DEL":
		if rest == "" || strings.Contains(rest, " ") {
			return say("ERR usage: %s key", cmd)
		}
		if cmd == "DEL" {
			if h.Store.Delete(rest) {
				return say("OK")
			}
			return say("NOTFOUND")
		}
		if v, ok := h.Store.Get(rest); ok {
			return say("VALUE %s", v)
		}
		return say("NOTFOUND")
	case "QUIT":
		say("BYE")
		return false
	case "":
		return say("ERR empty command")
	}
	return say("ERR unknown command %q", cmd)
}

// NewServer returns a server that serves h to at most maxConns clients at
// once and logs to logger.
func NewServer(h socketserver.Handler, maxConns int, logger *slog.Logger) *socketserver.Server {
	return &socketserver.Server{Handler: h, MaxConns: maxConns, Logger: logger}
}
