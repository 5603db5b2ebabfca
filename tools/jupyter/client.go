package jupyter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"syscall"
	"time"

	"github.com/go-zeromq/zmq4"
)

// A Client talks to one kernel over the five Jupyter channels: requests on
// shell and control, replies back on them, output broadcast on iopub, input
// requests on stdin, and liveness on heartbeat.
//
// A Client's methods may be called from several goroutines; replies and
// output are matched to requests by message ID.
type Client struct {
	info    ConnectionInfo
	signer  signer
	session string

	ctx    context.Context // ends when the client closes
	cancel context.CancelFunc

	shell, control, stdin, iopub zmq4.Socket
	sendMu                       sync.Mutex // zmq4 sockets are not safe for concurrent Send

	mu      sync.Mutex
	waiters map[string]*waiter // by request msg_id
	readers sync.WaitGroup

	// kernel, when known, receives SIGINT for interrupts in signal mode,
	// and its exit ends every wait.
	kernel *Kernel
}

// kernelDone returns a channel closed when the kernel exits; it never is
// when the client does not know the process.
func (c *Client) kernelDone() <-chan struct{} {
	if c.kernel == nil {
		return nil
	}
	return c.kernel.Done()
}

// ErrKernelExited is returned, wrapped, by calls that were waiting when the
// kernel process exited, and by calls made after it did.
var ErrKernelExited = errors.New("jupyter: kernel exited")

// waiter collects what arrives for one request.
type waiter struct {
	reply chan *Message // the reply on shell or control

	// queue holds what arrived on iopub with this parent and was not
	// taken yet (see Client.take); ready is signalled when it grows. It
	// holds up to maxQueued messages, so that a caller that reads more
	// slowly than a kernel prints loses nothing in any burst a cell
	// makes, and a runaway flood cannot take all memory.
	queue   []*Message // under Client.mu
	ready   chan struct{}
	dropped int // output lost to a full queue; under Client.mu
	// idle is signalled by the status "idle" that ends the request, even
	// when the queue was full: output may be lost to a flood, the end never.
	idle   chan struct{}
	closed bool
}

// maxQueued bounds a waiter's queue: about 64 MiB of small stream
// messages.
const maxQueued = 1 << 16

func newWaiter() *waiter {
	return &waiter{reply: make(chan *Message, 1), ready: make(chan struct{}, 1), idle: make(chan struct{}, 1)}
}

// take returns and forgets what w's queue holds.
func (c *Client) take(w *waiter) []*Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	q := w.queue
	w.queue = nil
	return q
}

// Dial connects to the kernel described by info and waits, until ctx ends,
// for it to answer a kernel_info_request with its iopub subscription
// working. Close the client when done.
func Dial(ctx context.Context, info ConnectionInfo) (*Client, error) {
	return dial(ctx, info, nil)
}

// Dial connects a client to k, as the package-level Dial does. The client
// interrupts k with SIGINT when its kernelspec asks for that, and its calls
// fail at once, instead of waiting, once k has exited.
func (k *Kernel) Dial(ctx context.Context) (*Client, error) {
	return dial(ctx, k.Info, k)
}

func dial(ctx context.Context, info ConnectionInfo, k *Kernel) (*Client, error) {
	cctx, cancel := context.WithCancel(context.Background())
	session := newID()
	c := &Client{
		info:    info,
		signer:  signer{key: []byte(info.Key)},
		session: session,
		ctx:     cctx,
		cancel:  cancel,
		waiters: make(map[string]*waiter),
		kernel:  k,
	}
	if info.SignatureScheme != "" && info.SignatureScheme != "hmac-sha256" {
		cancel()
		return nil, fmt.Errorf("jupyter: signature scheme %q not supported (only hmac-sha256)", info.SignatureScheme)
	}
	id := zmq4.WithID(zmq4.SocketIdentity(session))
	// c.dial retries, watching ctx; zmq4's own retries would not.
	once := zmq4.WithDialerMaxRetries(0)
	c.shell = zmq4.NewDealer(cctx, id, once)
	c.control = zmq4.NewDealer(cctx, id, once)
	c.stdin = zmq4.NewDealer(cctx, id, once)
	c.iopub = zmq4.NewSub(cctx, once)
	for _, s := range []struct {
		sock zmq4.Socket
		port int
		name string
	}{
		{c.shell, info.ShellPort, "shell"},
		{c.control, info.ControlPort, "control"},
		{c.stdin, info.StdinPort, "stdin"},
		{c.iopub, info.IOPubPort, "iopub"},
	} {
		if err := c.dial(ctx, s.sock, info.endpoint(s.port)); err != nil {
			c.Close()
			return nil, fmt.Errorf("jupyter: connect %s channel to %s: %w", s.name, info.endpoint(s.port), err)
		}
	}
	if err := c.iopub.SetOption(zmq4.OptionSubscribe, ""); err != nil {
		c.Close()
		return nil, fmt.Errorf("jupyter: subscribe to iopub: %w", err)
	}
	c.readers.Add(4)
	go c.read(c.shell, false)
	go c.read(c.control, false)
	go c.read(c.iopub, true)
	go c.readStdin()
	if err := c.waitReady(ctx); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// dial connects sock to ep, retrying until ctx ends: a kernel that was just
// started binds its ports a little later.
func (c *Client) dial(ctx context.Context, sock zmq4.Socket, ep string) error {
	for {
		err := sock.Dial(ep)
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (last error: %v)", ctx.Err(), err)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// waitReady sends kernel_info_request until one is answered and its
// status messages arrive on iopub. A SUB socket's subscription reaches the
// publisher some time after connecting, and output published before that is
// lost; once a request's iopub traffic arrives, later requests' does too.
func (c *Client) waitReady(ctx context.Context) error {
	for {
		ready, err := c.probe(ctx)
		if ready || err != nil {
			return err
		}
	}
}

// probe sends one kernel_info_request and reports whether both its reply
// and its iopub messages arrived. It waits as long as it takes for the
// reply (a kernel may be slow to start), then briefly for iopub.
func (c *Client) probe(ctx context.Context) (bool, error) {
	id, w, err := c.send(c.shell, "kernel_info_request", struct{}{})
	if err != nil {
		return false, err
	}
	defer c.forget(id)
	gotReply, gotIOPub := false, false
	var iopubWait <-chan time.Time // started by the reply
	for !(gotReply && gotIOPub) {
		select {
		case <-w.reply:
			gotReply = true
			iopubWait = time.After(250 * time.Millisecond)
		case <-w.ready:
			gotIOPub = true
		case <-iopubWait:
			return false, nil // published before we subscribed: ask again
		case <-ctx.Done():
			return false, fmt.Errorf("jupyter: kernel not ready: %w", ctx.Err())
		case <-c.kernelDone():
			return false, ErrKernelExited
		}
	}
	return true, nil
}

// send signs and sends a request of msgType on sock, registering a waiter
// for its reply and output first so that none is missed.
func (c *Client) send(sock zmq4.Socket, msgType string, content any) (string, *waiter, error) {
	body, err := json.Marshal(content)
	if err != nil {
		return "", nil, fmt.Errorf("jupyter: encode %s: %w", msgType, err)
	}
	m := &Message{Header: newHeader(c.session, msgType), Content: body}
	frames, err := c.signer.encode(m)
	if err != nil {
		return "", nil, err
	}
	w := newWaiter()
	c.mu.Lock()
	c.waiters[m.Header.MsgID] = w
	c.mu.Unlock()
	c.sendMu.Lock()
	err = sock.SendMulti(zmq4.NewMsgFrom(frames...))
	c.sendMu.Unlock()
	if err != nil {
		c.forget(m.Header.MsgID)
		return "", nil, fmt.Errorf("jupyter: send %s: %w", msgType, err)
	}
	return m.Header.MsgID, w, nil
}

// forget drops the waiter of request id; late messages for it are dropped.
func (c *Client) forget(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if w, ok := c.waiters[id]; ok {
		w.closed = true
		delete(c.waiters, id)
	}
}

// read receives messages from sock until the client closes, and hands each
// to the waiter of the request it answers. Messages with a bad signature,
// and messages nobody waits for, are dropped.
func (c *Client) read(sock zmq4.Socket, iopub bool) {
	defer c.readers.Done()
	for {
		raw, err := sock.Recv()
		if err != nil {
			if c.ctx.Err() != nil {
				return
			}
			continue
		}
		m, err := c.signer.decode(raw.Frames)
		if err != nil {
			continue
		}
		c.mu.Lock()
		w := c.waiters[m.ParentHeader.MsgID]
		if w != nil && !w.closed {
			if iopub {
				if isIdle(m) {
					select {
					case w.idle <- struct{}{}:
					default:
					}
				}
				// Never wait for the caller here: that would stall every
				// other request.
				if len(w.queue) < maxQueued {
					w.queue = append(w.queue, m)
					select {
					case w.ready <- struct{}{}:
					default:
					}
				} else if m.Header.MsgType != "status" {
					w.dropped++
				}
			} else {
				select {
				case w.reply <- m:
				default:
				}
			}
		}
		c.mu.Unlock()
	}
}

// readStdin answers the kernel's input requests. Requests are sent with
// allow_stdin false, so a kernel should not ask; if it does, it gets an
// empty line rather than waiting forever.
func (c *Client) readStdin() {
	defer c.readers.Done()
	for {
		raw, err := c.stdin.Recv()
		if err != nil {
			if c.ctx.Err() != nil {
				return
			}
			continue
		}
		req, err := c.signer.decode(raw.Frames)
		if err != nil || req.Header.MsgType != "input_request" {
			continue
		}
		reply := &Message{Header: newHeader(c.session, "input_reply"), ParentHeader: req.Header, Content: json.RawMessage(`{"value":""}`)}
		frames, err := c.signer.encode(reply)
		if err != nil {
			continue
		}
		c.sendMu.Lock()
		c.stdin.SendMulti(zmq4.NewMsgFrom(frames...))
		c.sendMu.Unlock()
	}
}

// request sends msgType on sock and waits for the reply.
func (c *Client) request(ctx context.Context, sock zmq4.Socket, msgType string, content any) (*Message, error) {
	id, w, err := c.send(sock, msgType, content)
	if err != nil {
		return nil, err
	}
	defer c.forget(id)
	select {
	case m := <-w.reply:
		return m, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("jupyter: waiting for the reply to %s: %w", msgType, ctx.Err())
	case <-c.ctx.Done():
		return nil, errors.New("jupyter: client closed")
	case <-c.kernelDone():
		return nil, fmt.Errorf("%w before replying to %s", ErrKernelExited, msgType)
	}
}

// KernelInfo asks the kernel to describe itself.
func (c *Client) KernelInfo(ctx context.Context) (KernelInfo, error) {
	m, err := c.request(ctx, c.shell, "kernel_info_request", struct{}{})
	if err != nil {
		return KernelInfo{}, err
	}
	var info KernelInfo
	return info, m.DecodeContent(&info)
}

// An Output is one thing a cell produced on iopub.
type Output struct {
	// Type is the iopub message type: "stream", "execute_result",
	// "display_data", "update_display_data" or "error".
	Type string
	// Name is the stream's name ("stdout" or "stderr"), for streams.
	Name string
	// Text is a stream's text.
	Text string
	// Data maps MIME types to representations, for results and displays.
	Data map[string]any
	// Metadata is a result's or display's metadata.
	Metadata map[string]any
	// EName, EValue and Traceback describe an error.
	EName     string
	EValue    string
	Traceback []string
}

// ExecuteReply is the content of an execute_reply.
type ExecuteReply struct {
	Status          string         `json:"status"` // "ok", "error" or "aborted"
	ExecutionCount  int            `json:"execution_count"`
	EName           string         `json:"ename"`
	EValue          string         `json:"evalue"`
	Traceback       []string       `json:"traceback"`
	UserExpressions map[string]any `json:"user_expressions"`
}

// An Execution is what running one piece of code produced.
type Execution struct {
	// MsgID is the execute_request's message ID: the parent of its
	// output, also of output that arrives later (see Follow).
	MsgID   string
	Reply   ExecuteReply
	Outputs []Output
	// Dropped counts output messages lost because the caller took them
	// so much more slowly than the kernel sent them that the client's
	// queue overflowed; Outputs lacks them.
	Dropped int
}

// Stdout returns the concatenated text the code wrote to stdout.
func (e *Execution) Stdout() string { return e.stream("stdout") }

// Stderr returns the concatenated text the code wrote to stderr.
func (e *Execution) Stderr() string { return e.stream("stderr") }

func (e *Execution) stream(name string) string {
	var s string
	for _, o := range e.Outputs {
		if o.Type == "stream" && o.Name == name {
			s += o.Text
		}
	}
	return s
}

// Execute runs code in the kernel and returns its reply together with
// every output the kernel published for it, in order, up to the status
// "idle" that ends the request. A cell that fails is not an error here:
// Reply.Status says "error", and an Output of type "error" says why.
func (c *Client) Execute(ctx context.Context, code string) (*Execution, error) {
	return c.ExecuteRequest(ctx, ExecuteRequest{Code: code, StoreHistory: true, StopOnError: true})
}

// ExecuteRequest runs req, as Execute does, with all of its options.
func (c *Client) ExecuteRequest(ctx context.Context, req ExecuteRequest) (*Execution, error) {
	var outs []Output
	ex, err := c.ExecuteStream(ctx, req, func(o Output) { outs = append(outs, o) })
	if err != nil {
		return nil, err
	}
	ex.Outputs = outs
	return ex, nil
}

// ExecuteStream runs req as ExecuteRequest does, but hands each output to
// out as it arrives, on the calling goroutine, instead of collecting them:
// the returned Execution has the reply and no Outputs. Output waits in a
// queue while out runs; if out is slower than the kernel for longer than
// the queue holds, later output is lost and counted in Dropped.
func (c *Client) ExecuteStream(ctx context.Context, req ExecuteRequest, out func(Output)) (*Execution, error) {
	if req.UserExpressions == nil {
		req.UserExpressions = map[string]string{}
	}
	id, w, err := c.send(c.shell, "execute_request", req)
	if err != nil {
		return nil, err
	}
	defer c.forget(id)
	var (
		ex       = Execution{MsgID: id}
		gotReply bool
		idle     bool
	)
	for !(gotReply && idle) {
		select {
		case m := <-w.reply:
			if err := m.DecodeContent(&ex.Reply); err != nil {
				return nil, err
			}
			gotReply = true
		case <-w.ready:
			for _, m := range c.take(w) {
				o, isIdle, err := decodeIOPub(m)
				if err != nil {
					return nil, err
				}
				idle = idle || isIdle
				if o != nil {
					out(*o)
				}
			}
		case <-w.idle:
			idle = true
		case <-ctx.Done():
			return nil, fmt.Errorf("jupyter: execute: %w", ctx.Err())
		case <-c.ctx.Done():
			return nil, errors.New("jupyter: client closed")
		case <-c.kernelDone():
			return nil, fmt.Errorf("%w while executing", ErrKernelExited)
		}
	}
	// The idle signal can overtake output still queued: hand that over too.
	for _, m := range c.take(w) {
		if o, _, err := decodeIOPub(m); err == nil && o != nil {
			out(*o)
		}
	}
	c.mu.Lock()
	ex.Dropped = w.dropped
	c.mu.Unlock()
	return &ex, nil
}

// isIdle reports whether m is the status "idle" that ends a request.
func isIdle(m *Message) bool {
	if m.Header.MsgType != "status" {
		return false
	}
	var c struct {
		ExecutionState string `json:"execution_state"`
	}
	return m.DecodeContent(&c) == nil && c.ExecutionState == "idle"
}

// decodeIOPub turns an iopub message into an Output, or reports that it is
// the status "idle" that ends a request. Other messages (status "busy",
// execute_input, clear_output) give neither.
func decodeIOPub(m *Message) (out *Output, idle bool, err error) {
	var c struct {
		ExecutionState string         `json:"execution_state"`
		Name           string         `json:"name"`
		Text           string         `json:"text"`
		Data           map[string]any `json:"data"`
		Metadata       map[string]any `json:"metadata"`
		EName          string         `json:"ename"`
		EValue         string         `json:"evalue"`
		Traceback      []string       `json:"traceback"`
	}
	switch t := m.Header.MsgType; t {
	case "status":
		if err := m.DecodeContent(&c); err != nil {
			return nil, false, err
		}
		return nil, c.ExecutionState == "idle", nil
	case "stream", "execute_result", "display_data", "update_display_data", "error":
		if err := m.DecodeContent(&c); err != nil {
			return nil, false, err
		}
		return &Output{
			Type: t, Name: c.Name, Text: c.Text, Data: c.Data, Metadata: c.Metadata,
			EName: c.EName, EValue: c.EValue, Traceback: c.Traceback,
		}, false, nil
	}
	return nil, false, nil
}

// Follow delivers the output the kernel publishes, from now on, with
// parent msgID: a goroutine's late output, say. Call stop when done; the
// channel is not closed.
func (c *Client) Follow(msgID string) (outputs <-chan Output, stop func()) {
	w := newWaiter()
	c.mu.Lock()
	c.waiters[msgID] = w
	c.mu.Unlock()
	out := make(chan Output, 64)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-w.ready:
				for _, m := range c.take(w) {
					if o, _, err := decodeIOPub(m); err == nil && o != nil {
						select {
						case out <- *o:
						case <-done:
							return
						}
					}
				}
			case <-done:
				return
			}
		}
	}()
	var once sync.Once
	return out, func() {
		once.Do(func() {
			c.forget(msgID)
			close(done)
		})
	}
}

// Complete asks for the completions of code at cursor (in code points).
func (c *Client) Complete(ctx context.Context, code string, cursor int) (CompleteReply, error) {
	var r CompleteReply
	return r, c.ask(ctx, "complete_request", map[string]any{"code": code, "cursor_pos": cursor}, &r)
}

// Inspect asks what is at cursor in code, as Shift-Tab does; detail is 0
// or 1.
func (c *Client) Inspect(ctx context.Context, code string, cursor, detail int) (InspectReply, error) {
	var r InspectReply
	return r, c.ask(ctx, "inspect_request", map[string]any{"code": code, "cursor_pos": cursor, "detail_level": detail}, &r)
}

// IsComplete asks whether code could run as it is.
func (c *Client) IsComplete(ctx context.Context, code string) (IsCompleteReply, error) {
	// Its status is the answer, never "ok".
	m, err := c.request(ctx, c.shell, "is_complete_request", map[string]any{"code": code})
	if err != nil {
		return IsCompleteReply{}, err
	}
	var r IsCompleteReply
	return r, m.DecodeContent(&r)
}

// History asks for the kernel's input history.
func (c *Client) History(ctx context.Context, req HistoryRequest) ([][]any, error) {
	var r struct {
		History [][]any `json:"history"`
	}
	return r.History, c.ask(ctx, "history_request", req, &r)
}

// CommInfo asks which comms are open.
func (c *Client) CommInfo(ctx context.Context) (map[string]any, error) {
	var r struct {
		Comms map[string]any `json:"comms"`
	}
	return r.Comms, c.ask(ctx, "comm_info_request", map[string]any{}, &r)
}

// ask sends a shell request and decodes its reply's content into v,
// failing when the status is not "ok".
func (c *Client) ask(ctx context.Context, msgType string, content, v any) error {
	m, err := c.request(ctx, c.shell, msgType, content)
	if err != nil {
		return err
	}
	var status struct {
		Status string `json:"status"`
		EName  string `json:"ename"`
		EValue string `json:"evalue"`
	}
	if err := m.DecodeContent(&status); err != nil {
		return err
	}
	if status.Status != "ok" {
		return fmt.Errorf("jupyter: %s answered %q: %s: %s", msgType, status.Status, status.EName, status.EValue)
	}
	return m.DecodeContent(v)
}

// Interrupt asks the kernel to stop what it runs, the way its kernelspec
// says: interrupt_request on the control channel in "message" mode, else
// SIGINT to the kernel process (which needs a client from Kernel.Dial).
func (c *Client) Interrupt(ctx context.Context) error {
	if c.kernel == nil || c.kernel.Spec.InterruptMode == "message" {
		_, err := c.request(ctx, c.control, "interrupt_request", struct{}{})
		return err
	}
	return c.kernel.Signal(syscall.SIGINT)
}

// Shutdown asks the kernel, on the control channel, to shut down (or to
// restart, if restart is true), and waits for its reply.
func (c *Client) Shutdown(ctx context.Context, restart bool) error {
	m, err := c.request(ctx, c.control, "shutdown_request", map[string]bool{"restart": restart})
	if !restart && errors.Is(err, ErrKernelExited) {
		// Some kernels (gophernotes) exit right after sending the reply,
		// and it may not make it out: the exit is the answer.
		return nil
	}
	if err != nil {
		return err
	}
	if m.Header.MsgType != "shutdown_reply" {
		return fmt.Errorf("jupyter: shutdown_request answered with %s", m.Header.MsgType)
	}
	return nil
}

// Heartbeat checks that the kernel answers on its heartbeat channel before
// ctx ends.
func (c *Client) Heartbeat(ctx context.Context) error {
	hctx, cancel := context.WithCancel(c.ctx)
	defer cancel()
	// A REQ socket that misses a reply is stuck; a fresh one per beat is
	// cheap and never is.
	hb := zmq4.NewReq(hctx, zmq4.WithDialerMaxRetries(0))
	defer hb.Close()
	if err := c.dial(ctx, hb, c.info.endpoint(c.info.HBPort)); err != nil {
		return fmt.Errorf("jupyter: heartbeat: %w", err)
	}
	ping := []byte(newID())
	got := make(chan error, 1)
	go func() {
		if err := hb.Send(zmq4.NewMsg(ping)); err != nil {
			got <- err
			return
		}
		m, err := hb.Recv()
		if err == nil && string(m.Bytes()) != string(ping) {
			err = fmt.Errorf("echo %q, want %q", m.Bytes(), ping)
		}
		got <- err
	}()
	select {
	case err := <-got:
		if err != nil {
			return fmt.Errorf("jupyter: heartbeat: %w", err)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("jupyter: heartbeat: %w", ctx.Err())
	}
}

// Close disconnects from the kernel (it leaves the kernel running) and
// waits for the client's goroutines to end.
func (c *Client) Close() error {
	c.cancel()
	for _, s := range []zmq4.Socket{c.shell, c.control, c.stdin, c.iopub} {
		if s != nil {
			s.Close()
		}
	}
	c.readers.Wait()
	return nil
}
