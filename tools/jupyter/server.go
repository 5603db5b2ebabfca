package jupyter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/go-zeromq/zmq4"
)

// A Handler is a kernel's language side. A Server calls Execute, Complete,
// Inspect and IsComplete one at a time, in the order the requests arrive on
// the shell channel; it calls Interrupt from another goroutine, typically
// while Execute runs, and Info from either.
type Handler interface {
	// Info describes the kernel; the Server fills in the status and the
	// protocol version.
	Info() KernelInfo
	// Execute runs code. Output it produces while running goes through
	// the Server's Stream and Display methods, and must have been handed
	// to them when Execute returns: the reply follows it. count is the
	// execution count the code runs as.
	Execute(ctx context.Context, req ExecuteRequest, count int) ExecuteResult
	// Complete lists completions for the code at cursor (in Unicode code
	// points).
	Complete(code string, cursor int) CompleteReply
	// Inspect describes what is at cursor in code; detail is 0 or 1.
	Inspect(code string, cursor, detail int) InspectReply
	// IsComplete says whether code could run as it is.
	IsComplete(code string) IsCompleteReply
	// Interrupt stops what Execute runs. It must not block: the running
	// Execute returns, with an error, once the code has stopped.
	Interrupt()
}

// A Server serves the Jupyter messaging protocol for a kernel: it binds
// the five channels a connection file names, answers heartbeats, reports
// busy and idle around every request, keeps the execution count and the
// input history, and hands the language work to a Handler.
//
// Control requests (interrupt, shutdown, kernel info) are served on their
// own goroutine, so they are answered while code runs.
type Server struct {
	info    ConnectionInfo
	handler Handler
	log     *slog.Logger
	signer  signer
	session string

	shell, control, stdin, iopub, hb zmq4.Socket

	iopubMu sync.Mutex // zmq4 sockets are not safe for concurrent Send

	mu        sync.Mutex
	count     int      // execution count of the last counted execute_request
	parent    *Message // the running execute_request, else the last one
	history   history
	shutdown  chan bool // receives restart, once
	closeOnce sync.Once
}

// NewServer returns a Server for the kernel whose connection file gave
// info. It logs what goes wrong with the protocol to log (nil: slog's
// default logger), never to the kernel's captured output.
func NewServer(info ConnectionInfo, h Handler, log *slog.Logger) *Server {
	if log == nil {
		log = slog.Default()
	}
	return &Server{
		info:     info,
		handler:  h,
		log:      log,
		signer:   signer{key: []byte(info.Key)},
		session:  newID(),
		shutdown: make(chan bool, 1),
	}
}

// ErrShutdown is returned by Serve after a shutdown_request.
var ErrShutdown = errors.New("jupyter: kernel shut down on request")

// Serve binds the channels and serves requests until ctx ends or a client
// asks for a shutdown; it returns ErrShutdown or ctx's error. A restart is
// a shutdown too: the client starts the new kernel process.
func (s *Server) Serve(ctx context.Context) error {
	if s.info.SignatureScheme != "" && s.info.SignatureScheme != "hmac-sha256" {
		return fmt.Errorf("jupyter: signature scheme %q not supported (only hmac-sha256)", s.info.SignatureScheme)
	}
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s.shell = zmq4.NewRouter(sctx)
	s.control = zmq4.NewRouter(sctx)
	s.stdin = zmq4.NewRouter(sctx)
	s.iopub = zmq4.NewPub(sctx)
	s.hb = zmq4.NewRep(sctx)
	defer s.closeSockets()
	for _, ch := range []struct {
		sock zmq4.Socket
		port int
		name string
	}{
		{s.shell, s.info.ShellPort, "shell"},
		{s.control, s.info.ControlPort, "control"},
		{s.stdin, s.info.StdinPort, "stdin"},
		{s.iopub, s.info.IOPubPort, "iopub"},
		{s.hb, s.info.HBPort, "heartbeat"},
	} {
		if err := ch.sock.Listen(s.info.endpoint(ch.port)); err != nil {
			return fmt.Errorf("jupyter: listen for %s on %s: %w", ch.name, s.info.endpoint(ch.port), err)
		}
	}
	s.publish(nil, "status", map[string]string{"execution_state": "starting"})

	var wg sync.WaitGroup
	shellQueue := make(chan *Message, 64)
	controlQueue := make(chan *Message, 16)
	wg.Add(5)
	go func() { defer wg.Done(); s.receive(sctx, s.shell, "shell", shellQueue) }()
	go func() { defer wg.Done(); s.receive(sctx, s.control, "control", controlQueue) }()
	go func() { defer wg.Done(); s.receive(sctx, s.stdin, "stdin", nil) }()
	go func() { defer wg.Done(); s.heartbeat(sctx) }()
	go func() { defer wg.Done(); s.serveControl(sctx, controlQueue) }()
	shellDone := make(chan struct{})
	go func() { defer close(shellDone); s.serveShell(sctx, shellQueue) }()

	var err error
	select {
	case <-ctx.Done():
		err = ctx.Err()
	case <-s.shutdown:
		err = ErrShutdown
	}
	cancel()
	s.closeSockets()
	wg.Wait()
	// The shell loop may be inside Execute: it ends when the handler
	// returns, which is the handler's business, not a reason to hang.
	select {
	case <-shellDone:
	default:
	}
	return err
}

// closeSockets closes every channel once.
func (s *Server) closeSockets() {
	s.closeOnce.Do(func() {
		for _, sock := range []zmq4.Socket{s.shell, s.control, s.stdin, s.iopub, s.hb} {
			if sock != nil {
				sock.Close()
			}
		}
	})
}

// receive reads sock until ctx ends and queues each correctly signed
// request; messages with a bad signature or shape are logged and dropped.
// With a nil queue (stdin) messages are read and dropped: the kernel asks
// for no input.
func (s *Server) receive(ctx context.Context, sock zmq4.Socket, name string, queue chan<- *Message) {
	for {
		raw, err := sock.Recv()
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			s.log.Warn("jupyter: receive", "channel", name, "err", err)
			continue
		}
		m, err := s.signer.decode(raw.Frames)
		if err != nil {
			s.log.Warn("jupyter: dropped a message", "channel", name, "err", err)
			continue
		}
		if queue == nil {
			continue
		}
		m.channel = name
		select {
		case queue <- m:
		case <-ctx.Done():
			return
		}
	}
}

// heartbeat echoes every ping until ctx ends.
func (s *Server) heartbeat(ctx context.Context) {
	for {
		m, err := s.hb.Recv()
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			continue
		}
		if err := s.hb.Send(m); err != nil && ctx.Err() == nil {
			s.log.Warn("jupyter: heartbeat", "err", err)
		}
	}
}

// serveShell handles shell requests one at a time.
func (s *Server) serveShell(ctx context.Context, queue chan *Message) {
	for {
		select {
		case <-ctx.Done():
			return
		case m := <-queue:
			// kernel_info_request is the probe clients send, again and
			// again, until iopub shows them its busy and idle; making
			// it wait would only stall a client that probes before it
			// subscribes.
			if m.Header.MsgType != "kernel_info_request" {
				s.awaitSubscriber(ctx, subscriberWait)
			}
			failed := s.handleShell(ctx, m)
			if failed {
				s.abortQueued(queue)
			}
		}
	}
}

// subscriberWait bounds how long a request waits for a client's iopub
// subscription.
const subscriberWait = 2 * time.Second

// awaitSubscriber waits, up to max, until some client has subscribed to
// iopub. A client connects iopub before it sends its first request, but
// zmq4 registers the subscription on its own goroutine; a request served
// before that publishes its busy and idle to nobody, and a front end that
// waits for idle, as jupyter console does, then waits forever (seen under
// load: the first cell of a fresh console never finished).
func (s *Server) awaitSubscriber(ctx context.Context, max time.Duration) {
	pub, ok := s.iopub.(interface{ Topics() []string })
	if !ok {
		return
	}
	deadline := time.Now().Add(max)
	for len(pub.Topics()) == 0 && time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(5 * time.Millisecond)
	}
}

// abortQueued answers the execute requests already waiting, after one that
// failed with stop_on_error, with status "aborted", the way ipykernel does
// when "Run all" meets an error or an interrupt; other requests waiting are
// served as usual.
func (s *Server) abortQueued(queue chan *Message) {
	for {
		select {
		case m := <-queue:
			if m.Header.MsgType != "execute_request" {
				s.handleShell(context.Background(), m)
				continue
			}
			s.busy(m, func() {
				s.reply(s.shell, m, "execute_reply", map[string]any{"status": "aborted", "execution_count": s.executionCount()})
			})
		default:
			return
		}
	}
}

// handleShell serves one shell request and reports whether it was an
// execute_request that failed and asked to stop on error.
func (s *Server) handleShell(ctx context.Context, m *Message) (stop bool) {
	s.busy(m, func() {
		switch m.Header.MsgType {
		case "kernel_info_request":
			s.reply(s.shell, m, "kernel_info_reply", s.kernelInfo())
		case "execute_request":
			stop = s.execute(ctx, m)
		case "complete_request":
			var req struct {
				Code   string `json:"code"`
				Cursor int    `json:"cursor_pos"`
			}
			if s.decode(m, &req) {
				r := s.handler.Complete(req.Code, req.Cursor)
				r.Status = "ok"
				if r.Matches == nil {
					r.Matches = []string{}
				}
				if r.Metadata == nil {
					r.Metadata = map[string]any{}
				}
				s.reply(s.shell, m, "complete_reply", r)
			}
		case "inspect_request":
			var req struct {
				Code   string `json:"code"`
				Cursor int    `json:"cursor_pos"`
				Detail int    `json:"detail_level"`
			}
			if s.decode(m, &req) {
				r := s.handler.Inspect(req.Code, req.Cursor, req.Detail)
				r.Status = "ok"
				if r.Data == nil {
					r.Data = map[string]any{}
				}
				if r.Metadata == nil {
					r.Metadata = map[string]any{}
				}
				s.reply(s.shell, m, "inspect_reply", r)
			}
		case "is_complete_request":
			var req struct {
				Code string `json:"code"`
			}
			if s.decode(m, &req) {
				s.reply(s.shell, m, "is_complete_reply", s.handler.IsComplete(req.Code))
			}
		case "history_request":
			var req HistoryRequest
			if s.decode(m, &req) {
				s.mu.Lock()
				h := s.history.query(req)
				s.mu.Unlock()
				s.reply(s.shell, m, "history_reply", map[string]any{"status": "ok", "history": h})
			}
		case "comm_info_request":
			// The kernel opens no comms and has no comm targets.
			s.reply(s.shell, m, "comm_info_reply", map[string]any{"status": "ok", "comms": map[string]any{}})
		case "comm_open":
			// No target exists: say so by closing the comm, as ipykernel
			// does, so that the front end does not wait on it.
			var req struct {
				CommID string `json:"comm_id"`
			}
			if s.decode(m, &req) {
				s.publish(m, "comm_close", map[string]any{"comm_id": req.CommID, "data": map[string]any{}})
			}
		case "comm_msg", "comm_close":
			// Nothing is open.
		case "shutdown_request", "interrupt_request":
			// Control requests sent on shell, as old clients do.
			s.handleControl(m)
		default:
			s.log.Warn("jupyter: unknown shell request", "msg_type", m.Header.MsgType)
		}
	})
	return stop
}

// serveControl handles control requests as they come, apart from the
// shell: an interrupt must be heard while code runs.
func (s *Server) serveControl(ctx context.Context, queue chan *Message) {
	for {
		select {
		case <-ctx.Done():
			return
		case m := <-queue:
			s.busy(m, func() { s.handleControl(m) })
		}
	}
}

// handleControl serves one control request.
func (s *Server) handleControl(m *Message) {
	switch m.Header.MsgType {
	case "interrupt_request":
		s.handler.Interrupt()
		s.reply(s.channelOf(m), m, "interrupt_reply", map[string]string{"status": "ok"})
	case "shutdown_request":
		var req struct {
			Restart bool `json:"restart"`
		}
		s.decode(m, &req)
		s.reply(s.channelOf(m), m, "shutdown_reply", map[string]any{"status": "ok", "restart": req.Restart})
		select {
		case s.shutdown <- req.Restart:
		default:
		}
	case "kernel_info_request":
		s.reply(s.control, m, "kernel_info_reply", s.kernelInfo())
	default:
		s.log.Warn("jupyter: unknown control request", "msg_type", m.Header.MsgType)
	}
}

// channelOf returns the socket a request came in on, for its reply: shell
// for control requests that old clients send there.
func (s *Server) channelOf(m *Message) zmq4.Socket {
	if m.channel == "shell" {
		return s.shell
	}
	return s.control
}

// kernelInfo returns the handler's description, completed.
func (s *Server) kernelInfo() KernelInfo {
	ki := s.handler.Info()
	ki.Status = "ok"
	ki.ProtocolVersion = ProtocolVersion
	return ki
}

// execute runs an execute_request and reports whether it failed with
// stop_on_error set.
func (s *Server) execute(ctx context.Context, m *Message) (stop bool) {
	// Absent fields take the protocol's defaults.
	req := ExecuteRequest{StoreHistory: true, StopOnError: true}
	if !s.decode(m, &req) {
		return false
	}
	if req.Silent {
		req.StoreHistory = false
	}
	s.mu.Lock()
	if req.StoreHistory {
		s.count++
	}
	count := s.count
	s.parent = m
	s.mu.Unlock()
	if !req.Silent {
		s.publish(m, "execute_input", map[string]any{"code": req.Code, "execution_count": count})
	}

	res := s.handler.Execute(ctx, req, count)

	reply := map[string]any{"execution_count": count, "user_expressions": map[string]any{}}
	if res.UserExpressions != nil {
		reply["user_expressions"] = res.UserExpressions
	}
	var output any
	switch {
	case res.Error != nil:
		tb := res.Error.Traceback
		if tb == nil {
			tb = []string{}
		}
		errContent := map[string]any{"ename": res.Error.EName, "evalue": res.Error.EValue, "traceback": tb}
		s.publish(m, "error", errContent)
		for k, v := range errContent {
			reply[k] = v
		}
		reply["status"] = "error"
		stop = req.StopOnError
	default:
		reply["status"] = "ok"
		reply["payload"] = []any{}
		if res.Data != nil && !req.Silent {
			md := res.Metadata
			if md == nil {
				md = map[string]any{}
			}
			s.publish(m, "execute_result", map[string]any{"execution_count": count, "data": res.Data, "metadata": md})
			output = res.Data["text/plain"]
		}
	}
	if req.StoreHistory {
		s.mu.Lock()
		s.history.add(count, req.Code, output)
		s.mu.Unlock()
	}
	s.reply(s.shell, m, "execute_reply", reply)
	return stop
}

// executionCount returns the count of the last counted execution.
func (s *Server) executionCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count
}

// Stream sends text written to stream ("stdout" or "stderr") to front ends,
// as output of the execute request that runs or, between requests, of the
// last one. Before the first request it is dropped: nothing could show it.
func (s *Server) Stream(stream, text string) {
	if parent := s.currentParent(); parent != nil {
		s.publish(parent, "stream", map[string]string{"name": stream, "text": text})
	}
}

// Display sends a display_data message (update_display_data when update is
// true: it replaces the output with the same display_id in transient) for
// the running, or last, execute request.
func (s *Server) Display(data, metadata, transient map[string]any, update bool) {
	parent := s.currentParent()
	if parent == nil {
		return
	}
	if metadata == nil {
		metadata = map[string]any{}
	}
	if transient == nil {
		transient = map[string]any{}
	}
	msgType := "display_data"
	if update {
		msgType = "update_display_data"
	}
	s.publish(parent, msgType, map[string]any{"data": data, "metadata": metadata, "transient": transient})
}

// ClearOutput asks front ends to clear the output of the running, or last,
// execute request; with wait, only when new output arrives.
func (s *Server) ClearOutput(wait bool) {
	if parent := s.currentParent(); parent != nil {
		s.publish(parent, "clear_output", map[string]bool{"wait": wait})
	}
}

// currentParent returns the running or last execute_request, if any.
func (s *Server) currentParent() *Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.parent
}

// busy publishes status busy, runs f, then publishes status idle, all with
// m as the parent.
func (s *Server) busy(m *Message, f func()) {
	s.publish(m, "status", map[string]string{"execution_state": "busy"})
	defer s.publish(m, "status", map[string]string{"execution_state": "idle"})
	f()
}

// decode reads m's content into v; on failure it logs, answers nothing
// and returns false.
func (s *Server) decode(m *Message, v any) bool {
	if err := m.DecodeContent(v); err != nil {
		s.log.Warn("jupyter: bad request", "msg_type", m.Header.MsgType, "err", err)
		return false
	}
	return true
}

// reply sends the reply of msgType to request m on sock.
func (s *Server) reply(sock zmq4.Socket, m *Message, msgType string, content any) {
	s.send(sock, &s.iopubMu, m.Identities, m, msgType, content)
}

// publish broadcasts msgType on iopub, with parent as the parent header
// (none when nil).
func (s *Server) publish(parent *Message, msgType string, content any) {
	s.send(s.iopub, &s.iopubMu, nil, parent, msgType, content)
}

// send signs and sends one message. A single mutex guards every socket's
// Send: replies and broadcasts are short, and it keeps their order.
func (s *Server) send(sock zmq4.Socket, mu *sync.Mutex, ids [][]byte, parent *Message, msgType string, content any) {
	body, err := json.Marshal(content)
	if err != nil {
		s.log.Error("jupyter: encode", "msg_type", msgType, "err", err)
		return
	}
	out := &Message{Identities: ids, Header: newHeader(s.session, msgType), Content: body}
	if parent != nil {
		out.ParentHeader = parent.Header
		out.Header.Username = parent.Header.Username
	}
	frames, err := s.signer.encode(out)
	if err != nil {
		s.log.Error("jupyter: encode", "msg_type", msgType, "err", err)
		return
	}
	mu.Lock()
	defer mu.Unlock()
	if err := sock.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
		s.log.Warn("jupyter: send", "msg_type", msgType, "err", err)
	}
}
