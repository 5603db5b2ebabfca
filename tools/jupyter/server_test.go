package jupyter

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// echoHandler is a toy language: "print X" writes X to stdout through the
// server, "fail" fails, "block" waits for an interrupt, "late X" prints X
// after the execution has ended, anything else is its own result.
type echoHandler struct {
	srv         *Server
	interrupted chan struct{}
}

func (h *echoHandler) Info() KernelInfo {
	return KernelInfo{Implementation: "echo", LanguageInfo: LanguageInfo{Name: "echo"}, Banner: "echo"}
}

func (h *echoHandler) Execute(ctx context.Context, req ExecuteRequest, count int) ExecuteResult {
	switch verb, arg, _ := strings.Cut(req.Code, " "); verb {
	case "print":
		h.srv.Stream("stdout", arg)
		return ExecuteResult{}
	case "late":
		go func() {
			time.Sleep(100 * time.Millisecond)
			h.srv.Stream("stdout", arg)
		}()
		return ExecuteResult{}
	case "fail":
		return ExecuteResult{Error: &Error{EName: "failure", EValue: "on purpose", Traceback: []string{"line 1"}}}
	case "block":
		select {
		case <-h.interrupted:
			return ExecuteResult{Error: &Error{EName: "interrupted", EValue: "interrupted"}}
		case <-ctx.Done():
			return ExecuteResult{Error: &Error{EName: "shutdown", EValue: ctx.Err().Error()}}
		}
	}
	return ExecuteResult{Data: map[string]any{"text/plain": req.Code}}
}

func (h *echoHandler) Complete(code string, cursor int) CompleteReply {
	return CompleteReply{Matches: []string{code + "!"}, CursorStart: 0, CursorEnd: cursor}
}

func (h *echoHandler) Inspect(code string, cursor, detail int) InspectReply {
	if code == "" {
		return InspectReply{}
	}
	return InspectReply{Found: true, Data: map[string]any{"text/plain": "about " + code}}
}

func (h *echoHandler) IsComplete(code string) IsCompleteReply {
	if strings.HasSuffix(code, "{") {
		return IsCompleteReply{Status: "incomplete", Indent: "\t"}
	}
	return IsCompleteReply{Status: "complete"}
}

func (h *echoHandler) Interrupt() {
	select {
	case h.interrupted <- struct{}{}:
	default:
	}
}

// startServer serves an echoHandler and connects a client to it.
func startServer(t *testing.T) (*Client, *Server, chan error) {
	info, srv, done := serveOnly(t)
	dctx, dcancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer dcancel()
	c, err := Dial(dctx, info)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c, srv, done
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestServerKernelInfo(t *testing.T) {
	c, _, _ := startServer(t)
	ki, err := c.KernelInfo(testContext(t))
	require.NoError(t, err)
	assert.Equal(t, "ok", ki.Status)
	assert.Equal(t, ProtocolVersion, ki.ProtocolVersion)
	assert.Equal(t, "echo", ki.Implementation)
	require.NoError(t, c.Heartbeat(testContext(t)))
}

func TestServerExecute(t *testing.T) {
	c, _, _ := startServer(t)
	ctx := testContext(t)
	ex, err := c.Execute(ctx, "print hello\n")
	require.NoError(t, err)
	assert.Equal(t, "ok", ex.Reply.Status)
	assert.Equal(t, 1, ex.Reply.ExecutionCount)
	assert.Equal(t, "hello\n", ex.Stdout(), "output sent during Execute comes before the reply")

	ex, err = c.Execute(ctx, "42")
	require.NoError(t, err)
	assert.Equal(t, 2, ex.Reply.ExecutionCount)
	require.Len(t, ex.Outputs, 1)
	assert.Equal(t, "42", ex.Outputs[0].Data["text/plain"])

	// Silent executions are not counted and show no result.
	ex, err = c.ExecuteRequest(ctx, ExecuteRequest{Code: "43", Silent: true})
	require.NoError(t, err)
	assert.Empty(t, ex.Outputs)
	assert.Equal(t, 2, ex.Reply.ExecutionCount)

	ex, err = c.Execute(ctx, "fail")
	require.NoError(t, err)
	assert.Equal(t, "error", ex.Reply.Status)
	assert.Equal(t, "failure", ex.Reply.EName)
	assert.Equal(t, []string{"line 1"}, ex.Reply.Traceback)
	require.Len(t, ex.Outputs, 1)
	assert.Equal(t, "error", ex.Outputs[0].Type)
}

// TestServerLateOutput: output that arrives after an execution ended goes to
// that execution until the next one starts.
func TestServerLateOutput(t *testing.T) {
	c, _, _ := startServer(t)
	ctx := testContext(t)
	ex, err := c.Execute(ctx, "late after")
	require.NoError(t, err)
	assert.Empty(t, ex.Stdout())
	out, stop := c.Follow(ex.MsgID)
	defer stop()
	select {
	case o := <-out:
		assert.Equal(t, "after", o.Text)
	case <-ctx.Done():
		t.Fatal("late output never arrived")
	}
}

func TestServerInterruptWhileExecuting(t *testing.T) {
	c, _, _ := startServer(t)
	ctx := testContext(t)
	type result struct {
		ex  *Execution
		err error
	}
	done := make(chan result, 1)
	go func() {
		ex, err := c.Execute(ctx, "block")
		done <- result{ex, err}
	}()
	// The control channel answers while the shell is busy.
	time.Sleep(50 * time.Millisecond)
	ki, err := c.requestControl(ctx, "kernel_info_request")
	require.NoError(t, err)
	assert.Equal(t, "kernel_info_reply", ki.Header.MsgType)
	require.NoError(t, c.Interrupt(ctx))
	r := <-done
	require.NoError(t, r.err)
	assert.Equal(t, "interrupted", r.ex.Reply.EName)
}

// TestServerAbortsQueuedAfterError: with stop_on_error, execute requests
// already queued behind a failing one are aborted, as "Run all" expects.
func TestServerAbortsQueuedAfterError(t *testing.T) {
	c, _, _ := startServer(t)
	ctx := testContext(t)
	results := make(chan *Execution, 3)
	errs := make(chan error, 3)
	// block holds the shell until fail and 7 are queued behind it.
	go func() {
		ex, err := c.Execute(ctx, "block")
		results <- ex
		errs <- err
	}()
	time.Sleep(50 * time.Millisecond)
	queued := make(chan *Execution, 2)
	for _, code := range []string{"7", "8"} {
		go func() {
			ex, err := c.Execute(ctx, code)
			assert.NoError(t, err)
			queued <- ex
		}()
	}
	time.Sleep(100 * time.Millisecond)
	require.NoError(t, c.Interrupt(ctx))
	require.NoError(t, <-errs)
	assert.Equal(t, "error", (<-results).Reply.Status)
	for range 2 {
		assert.Equal(t, "aborted", (<-queued).Reply.Status)
	}
	// The queue is served normally afterwards.
	ex, err := c.Execute(ctx, "9")
	require.NoError(t, err)
	assert.Equal(t, "ok", ex.Reply.Status)
}

func TestServerShellRequests(t *testing.T) {
	c, _, _ := startServer(t)
	ctx := testContext(t)
	comp, err := c.Complete(ctx, "pri", 3)
	require.NoError(t, err)
	assert.Equal(t, []string{"pri!"}, comp.Matches)
	assert.NotNil(t, comp.Metadata)

	insp, err := c.Inspect(ctx, "x", 1, 0)
	require.NoError(t, err)
	assert.True(t, insp.Found)
	insp, err = c.Inspect(ctx, "", 0, 0)
	require.NoError(t, err)
	assert.False(t, insp.Found)
	assert.NotNil(t, insp.Data, "data is {} when nothing is found")

	ic, err := c.IsComplete(ctx, "for {")
	require.NoError(t, err)
	assert.Equal(t, IsCompleteReply{Status: "incomplete", Indent: "\t"}, ic)

	comms, err := c.CommInfo(ctx)
	require.NoError(t, err)
	assert.Empty(t, comms)
}

func TestServerHistory(t *testing.T) {
	c, _, _ := startServer(t)
	ctx := testContext(t)
	for _, code := range []string{"1+1", "2+2", "1+1", "print x"} {
		_, err := c.Execute(ctx, code)
		require.NoError(t, err)
	}
	h, err := c.History(ctx, HistoryRequest{HistAccessType: "tail", N: 2})
	require.NoError(t, err)
	assert.Equal(t, [][]any{{1.0, 3.0, "1+1"}, {1.0, 4.0, "print x"}}, h)

	h, err = c.History(ctx, HistoryRequest{HistAccessType: "tail", N: 1, Output: true})
	require.NoError(t, err)
	assert.Equal(t, [][]any{{1.0, 4.0, []any{"print x", nil}}}, h)

	h, err = c.History(ctx, HistoryRequest{HistAccessType: "range", Session: 1, Start: 2, Stop: 3})
	require.NoError(t, err)
	assert.Equal(t, [][]any{{1.0, 2.0, "2+2"}}, h)

	h, err = c.History(ctx, HistoryRequest{HistAccessType: "search", Pattern: "?+*"})
	require.NoError(t, err)
	assert.Len(t, h, 3)
	h, err = c.History(ctx, HistoryRequest{HistAccessType: "search", Pattern: "[1]+*", Unique: true})
	require.NoError(t, err)
	assert.Equal(t, [][]any{{1.0, 3.0, "1+1"}}, h)
}

func TestServerShutdown(t *testing.T) {
	c, _, done := startServer(t)
	require.NoError(t, c.Shutdown(testContext(t), false))
	select {
	case err := <-done:
		assert.ErrorIs(t, err, ErrShutdown)
		done <- err // for the cleanup
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after shutdown_request")
	}
}

// TestServerDropsForgedRequests: a request signed with another key gets no
// answer, and the kernel keeps serving.
func TestServerDropsForgedRequests(t *testing.T) {
	c, _, _ := startServer(t)
	ctx := testContext(t)
	forger := signer{key: []byte("not the key")}
	m := &Message{Header: newHeader("forger", "execute_request"), Content: json.RawMessage(`{"code":"print pwned"}`)}
	frames, err := forger.encode(m)
	require.NoError(t, err)
	w := newWaiter()
	c.mu.Lock()
	c.waiters[m.Header.MsgID] = w
	c.mu.Unlock()
	defer c.forget(m.Header.MsgID)
	c.sendMu.Lock()
	require.NoError(t, c.shell.SendMulti(zmq4.NewMsgFrom(frames...)))
	c.sendMu.Unlock()
	select {
	case r := <-w.reply:
		t.Fatalf("forged request answered: %s", r.Content)
	case <-w.ready:
		t.Fatal("forged request ran")
	case <-time.After(300 * time.Millisecond):
	}
	ex, err := c.Execute(ctx, "still here")
	require.NoError(t, err)
	assert.Equal(t, "still here", ex.Outputs[0].Data["text/plain"])
}

func TestServerRefusesOtherSignatureSchemes(t *testing.T) {
	info, err := NewConnectionInfo()
	require.NoError(t, err)
	info.SignatureScheme = "hmac-md5"
	err = NewServer(info, &echoHandler{}, nil).Serve(context.Background())
	assert.ErrorContains(t, err, "hmac-md5")
	assert.False(t, errors.Is(err, ErrShutdown))
}

// requestControl sends a bare request on the control channel.
func (c *Client) requestControl(ctx context.Context, msgType string) (*Message, error) {
	return c.request(ctx, c.control, msgType, struct{}{})
}

// rawShell sends one request of msgType on a shell connection of its own,
// with no iopub subscription, as a client that probes before it subscribes
// does, and returns the request's ID and a channel for the reply.
func rawShell(t *testing.T, info ConnectionInfo, msgType, content string) (string, <-chan *Message) {
	t.Helper()
	ctx := testContext(t)
	sock := zmq4.NewDealer(ctx)
	t.Cleanup(func() { sock.Close() })
	require.NoError(t, sock.Dial(info.endpoint(info.ShellPort)))
	sg := signer{key: []byte(info.Key)}
	m := &Message{Header: newHeader("raw", msgType), Content: json.RawMessage(content)}
	frames, err := sg.encode(m)
	require.NoError(t, err)
	require.NoError(t, sock.SendMulti(zmq4.NewMsgFrom(frames...)))
	replies := make(chan *Message, 1)
	go func() {
		msg, err := sock.Recv()
		if err != nil {
			return
		}
		if r, err := sg.decode(msg.Frames); err == nil {
			replies <- r
		}
	}()
	return m.Header.MsgID, replies
}

// serveOnly serves an echoHandler and connects nothing to it. done
// receives what Serve returned.
func serveOnly(t *testing.T) (ConnectionInfo, *Server, chan error) {
	t.Helper()
	info, err := NewConnectionInfo()
	require.NoError(t, err)
	h := &echoHandler{interrupted: make(chan struct{}, 1)}
	srv := NewServer(info, h, nil)
	h.srv = srv
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	return info, srv, done
}

// TestServerWaitsForIOPubBeforeExecuting forces the ZMQ slow joiner: an
// execute_request arrives before any client has subscribed to iopub. Its
// busy, output and idle must still reach the client that subscribes a
// moment later; a front end that waits for idle (jupyter console) would
// otherwise wait forever.
func TestServerWaitsForIOPubBeforeExecuting(t *testing.T) {
	info, _, _ := serveOnly(t)
	id, replies := rawShell(t, info, "execute_request", `{"code":"print hi","silent":false}`)
	time.Sleep(200 * time.Millisecond) // well inside subscriberWait
	sub := zmq4.NewSub(testContext(t))
	defer sub.Close()
	require.NoError(t, sub.Dial(info.endpoint(info.IOPubPort)))
	require.NoError(t, sub.SetOption(zmq4.OptionSubscribe, ""))
	sg := signer{key: []byte(info.Key)}
	var seen []string
	for !slices.Contains(seen, "status:idle") {
		msg, err := sub.Recv()
		require.NoError(t, err, "iopub after %v", seen)
		m, err := sg.decode(msg.Frames)
		require.NoError(t, err)
		if m.ParentHeader.MsgID != id {
			continue
		}
		what := m.Header.MsgType
		var st struct {
			ExecutionState string `json:"execution_state"`
			Text           string `json:"text"`
		}
		require.NoError(t, json.Unmarshal(m.Content, &st))
		what += ":" + st.ExecutionState + st.Text
		seen = append(seen, what)
	}
	assert.Equal(t, []string{"status:busy", "execute_input:", "stream:hi", "status:idle"}, seen)
	select {
	case r := <-replies:
		assert.Equal(t, "execute_reply", r.Header.MsgType)
	case <-testContext(t).Done():
		t.Fatal("no execute_reply")
	}
}

// TestServerAnswersKernelInfoWithoutIOPub: the probe a client sends before
// it subscribes is answered at once, not after the wait for a subscriber.
func TestServerAnswersKernelInfoWithoutIOPub(t *testing.T) {
	info, _, _ := serveOnly(t)
	_, replies := rawShell(t, info, "kernel_info_request", `{}`)
	select {
	case r := <-replies:
		assert.Equal(t, "kernel_info_reply", r.Header.MsgType)
	case <-time.After(subscriberWait / 2):
		t.Fatalf("no kernel_info_reply within %v with nobody on iopub; the probe must not wait for a subscriber", subscriberWait/2)
	}
}
