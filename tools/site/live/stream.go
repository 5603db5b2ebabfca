package live

import (
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"sync"
	"time"

	"github.com/sockbook/sockbook/tools/jupyter"
	"github.com/sockbook/sockbook/tools/nbformat"
)

// An execute request answers with a stream of server-sent events:
//
//	event: output   data: {"index": i, "html": …}  output i, new or grown
//	event: end      data: {"status": "ok" | "error" | "aborted", "execution_count": n}
//	event: dead     data: {"message": …}             the kernel process is gone
//
// Each output is sent as the HTML the static site shows for it (Render),
// so a live run looks as the stored outputs do. Consecutive stream text
// is one output, as in a stored notebook; its event carries the whole
// output again as it grows.
//
// Output is throttled: the first change is sent at once, later ones at
// most every flushEvery, so that a cell printing in a loop costs the page
// a redraw per interval, not per line; past MaxOutput bytes the run's
// further output is dropped with a note, and the cell runs on.
const flushEvery = 40 * time.Millisecond

// A Render turns one cell output into the page's HTML.
type Render func(*nbformat.Output) template.HTML

func (s *Server) execute(w http.ResponseWriter, r *http.Request, ss *session, code string) {
	c, k, gen := ss.current()
	if c == nil {
		http.Error(w, "live: the kernel is not running; restart it", http.StatusConflict)
		return
	}
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "live: streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	fl.Flush()

	ss.mu.Lock()
	ss.running++
	ss.mu.Unlock()
	defer func() {
		ss.mu.Lock()
		ss.running--
		ss.last = time.Now()
		ss.mu.Unlock()
	}()

	st := &stream{w: w, fl: fl, render: s.cfg.Render, max: s.cfg.MaxOutput}
	ex, err := c.ExecuteStream(r.Context(), jupyter.ExecuteRequest{Code: code, StoreHistory: true}, st.add)
	if err == nil && ex.Dropped > 0 {
		st.note(fmt.Sprintf("\n[%d outputs were dropped: the cell printed faster than they could be sent]\n", ex.Dropped))
	}
	st.finish()
	// A kernel that died before the request reached it fails the send
	// with the connection's error, not ErrKernelExited: its process having
	// exited is what decides.
	exited := errors.Is(err, jupyter.ErrKernelExited)
	if err != nil && k != nil {
		select {
		case <-k.Done():
			exited = true
		default:
		}
	}
	switch {
	case err == nil:
		status := ex.Reply.Status
		st.event("end", map[string]any{"status": status, "execution_count": ex.Reply.ExecutionCount})
	case exited:
		if _, _, now := ss.current(); now != gen {
			st.event("end", map[string]any{"status": "aborted", "message": "the kernel was restarted"})
			return
		}
		st.event("dead", map[string]string{"message": "The kernel died (its process exited). Restart it to run cells again; every variable is lost."})
	case r.Context().Err() != nil:
		// The page went away; nothing to tell it.
	default:
		st.event("end", map[string]any{"status": "aborted", "message": err.Error()})
	}
}

// A stream sends one run's outputs to the page.
type stream struct {
	w      http.ResponseWriter
	fl     http.Flusher
	render Render
	max    int

	mu      sync.Mutex
	outs    []*nbformat.Output
	dirty   int // outs[dirty:] changed since the last send; len(outs) when none
	size    int // bytes of output text taken so far
	capped  bool
	sentAt  time.Time
	timer   *time.Timer
	stopped bool
}

// add takes one output from the kernel.
func (st *stream) add(o jupyter.Output) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.capped {
		return
	}
	n := len(o.Text) + len(o.EValue)
	for _, t := range o.Traceback {
		n += len(t)
	}
	for _, v := range o.Data {
		if s, ok := v.(string); ok {
			n += len(s)
		}
	}
	if st.size+n > st.max {
		st.capped = true
		st.append(&nbformat.Output{Type: "stream", Name: "stderr",
			Text: fmt.Sprintf("\n[output past %d bytes is not shown here; the cell goes on running]\n", st.max)})
	} else {
		st.size += n
		st.append(toNotebook(o))
	}
	if wait := flushEvery - time.Since(st.sentAt); wait > 0 {
		if st.timer == nil {
			st.timer = time.AfterFunc(wait, st.flushLater)
		}
		return
	}
	st.flush()
}

// note adds a line of our own, on stderr, unless the output was capped
// (which has said so already).
func (st *stream) note(text string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if !st.capped {
		st.append(&nbformat.Output{Type: "stream", Name: "stderr", Text: text})
	}
}

// append adds o to the outputs, joining it to the last one when both are
// text of the same stream.
func (st *stream) append(o *nbformat.Output) {
	if n := len(st.outs); n > 0 && o.Type == "stream" && st.outs[n-1].Type == "stream" && st.outs[n-1].Name == o.Name {
		st.outs[n-1].Text += o.Text
		st.dirty = min(st.dirty, n-1)
		return
	}
	st.outs = append(st.outs, o) // after outs[dirty:], so it is sent with them
}

func (st *stream) flushLater() {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.timer = nil
	if !st.stopped {
		st.flush()
	}
}

// flush sends every output changed since the last flush. st.mu is held.
func (st *stream) flush() {
	for i := st.dirty; i < len(st.outs); i++ {
		st.send("output", map[string]any{"index": i, "html": st.render(st.outs[i])})
	}
	st.dirty = len(st.outs)
	st.sentAt = time.Now()
	st.fl.Flush()
}

// finish sends what is pending; no output is sent after it.
func (st *stream) finish() {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.timer != nil {
		st.timer.Stop()
		st.timer = nil
	}
	st.flush()
	st.stopped = true
}

// event sends one event after finish.
func (st *stream) event(name string, v any) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.send(name, v)
	st.fl.Flush()
}

func (st *stream) send(name string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(map[string]string{"message": err.Error()})
	}
	fmt.Fprintf(st.w, "event: %s\ndata: %s\n\n", name, b)
}

// toNotebook converts one kernel output as nbclient stores it.
func toNotebook(o jupyter.Output) *nbformat.Output {
	switch o.Type {
	case "stream":
		return &nbformat.Output{Type: "stream", Name: o.Name, Text: o.Text}
	case "error":
		return &nbformat.Output{Type: "error", Ename: o.EName, Evalue: o.EValue, Traceback: o.Traceback}
	default:
		return &nbformat.Output{Type: o.Type, Data: o.Data, Metadata: o.Metadata}
	}
}
