package jupyter

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// TestMain checks that neither the client nor the fake kernel leaves
// goroutines behind. zmq4 v0.17.0's PUB socket (the fake kernel's iopub, not
// the client) never ends its writer goroutine on Close.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, goleak.IgnoreAnyFunction("github.com/go-zeromq/zmq4.(*pubMWriter).run"))
}

func TestSignAndDecode(t *testing.T) {
	s := signer{key: []byte("demo key, not for real use")}
	m := &Message{
		Identities:   [][]byte{[]byte("peer")},
		Header:       newHeader("session", "execute_request"),
		ParentHeader: newHeader("session", "kernel_info_request"),
		Metadata:     map[string]any{"k": "v"},
		Content:      json.RawMessage(`{"code":"1+1"}`),
		Buffers:      [][]byte{[]byte("buffer")},
	}
	frames, err := s.encode(m)
	require.NoError(t, err)
	got, err := s.decode(frames)
	require.NoError(t, err)
	assert.Equal(t, m.Identities, got.Identities)
	assert.Equal(t, m.Header, got.Header)
	assert.Equal(t, m.ParentHeader, got.ParentHeader)
	assert.Equal(t, m.Metadata, got.Metadata)
	assert.JSONEq(t, string(m.Content), string(got.Content))
	assert.Equal(t, m.Buffers, got.Buffers)

	// Each signed part is covered: changing any one breaks the signature.
	for part := 3; part <= 6; part++ {
		bad := make([][]byte, len(frames))
		copy(bad, frames)
		bad[part] = append([]byte(nil), frames[part]...)
		bad[part][len(bad[part])-2] ^= 1
		_, err := s.decode(bad)
		assert.ErrorIs(t, err, ErrSignature, "part %d changed", part)
	}
	// So is the key.
	_, err = signer{key: []byte("another key")}.decode(frames)
	assert.ErrorIs(t, err, ErrSignature)
}

func TestDecodeMalformed(t *testing.T) {
	s := signer{}
	for name, frames := range map[string][][]byte{
		"empty":        nil,
		"no delimiter": {[]byte("a"), []byte("b"), []byte("c"), []byte("d"), []byte("e"), []byte("f")},
		"too short":    {[]byte(delimiter), []byte(""), []byte("{}")},
		"bad header":   {[]byte(delimiter), []byte(""), []byte("{"), []byte("{}"), []byte("{}"), []byte("{}")},
	} {
		_, err := s.decode(frames)
		assert.Error(t, err, name)
	}
}

func TestNewConnectionInfo(t *testing.T) {
	ci, err := NewConnectionInfo()
	require.NoError(t, err)
	ports := map[int]bool{ci.ShellPort: true, ci.IOPubPort: true, ci.StdinPort: true, ci.ControlPort: true, ci.HBPort: true}
	assert.Len(t, ports, 5, "ports must be distinct")
	assert.Len(t, ci.Key, 64, "a 256-bit key in hex")
	assert.Equal(t, "hmac-sha256", ci.SignatureScheme)
	other, err := NewConnectionInfo()
	require.NoError(t, err)
	assert.NotEqual(t, ci.Key, other.Key)
}

func TestReadKernelSpec(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "kernel.json")
	require.NoError(t, os.WriteFile(good, []byte(`{"argv":["k","{connection_file}"],"display_name":"K","language":"go","env":{"A":"b"}}`), 0o644))
	spec, err := ReadKernelSpec(good)
	require.NoError(t, err)
	assert.Equal(t, []string{"k", "{connection_file}"}, spec.Argv)
	assert.Equal(t, map[string]string{"A": "b"}, spec.Env)

	empty := filepath.Join(dir, "empty.json")
	require.NoError(t, os.WriteFile(empty, []byte(`{"argv":[]}`), 0o644))
	_, err = ReadKernelSpec(empty)
	assert.ErrorContains(t, err, "empty argv")
	_, err = ReadKernelSpec(filepath.Join(dir, "missing.json"))
	assert.Error(t, err)
}

// fakeKernel answers on the five channels the way a Jupyter kernel does,
// enough to exercise the client: kernel_info, execute (with output, and a
// forged message the client must drop), interrupt, shutdown, heartbeat.
type fakeKernel struct {
	t      *testing.T
	s      signer
	shell  zmq4.Socket
	ctl    zmq4.Socket
	iopub  zmq4.Socket
	hb     zmq4.Socket
	stdin  zmq4.Socket
	cancel context.CancelFunc
	done   chan struct{}
}

func startFakeKernel(t *testing.T) (ConnectionInfo, *fakeKernel) {
	info, err := NewConnectionInfo()
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	k := &fakeKernel{
		t: t, s: signer{key: []byte(info.Key)}, cancel: cancel, done: make(chan struct{}),
		shell: zmq4.NewRouter(ctx), ctl: zmq4.NewRouter(ctx), iopub: zmq4.NewPub(ctx),
		hb: zmq4.NewRep(ctx), stdin: zmq4.NewRouter(ctx),
	}
	for sock, port := range map[zmq4.Socket]int{k.shell: info.ShellPort, k.ctl: info.ControlPort, k.iopub: info.IOPubPort, k.hb: info.HBPort, k.stdin: info.StdinPort} {
		require.NoError(t, sock.Listen(info.endpoint(port)))
	}
	go k.serve(k.shell)
	go k.serve(k.ctl)
	go func() {
		for {
			m, err := k.hb.Recv()
			if err != nil {
				return
			}
			k.hb.Send(m)
		}
	}()
	t.Cleanup(k.close)
	return info, k
}

func (k *fakeKernel) close() {
	k.cancel()
	for _, s := range []zmq4.Socket{k.shell, k.ctl, k.iopub, k.hb, k.stdin} {
		s.Close()
	}
}

func (k *fakeKernel) send(sock zmq4.Socket, ids [][]byte, parent Header, msgType, content string) {
	frames, err := k.s.encode(&Message{Identities: ids, Header: newHeader("kernel", msgType), ParentHeader: parent, Content: json.RawMessage(content)})
	require.NoError(k.t, err)
	sock.SendMulti(zmq4.NewMsgFrom(frames...))
}

func (k *fakeKernel) serve(sock zmq4.Socket) {
	for {
		raw, err := sock.Recv()
		if err != nil {
			return
		}
		req, err := k.s.decode(raw.Frames)
		if err != nil {
			continue
		}
		k.send(k.iopub, nil, req.Header, "status", `{"execution_state":"busy"}`)
		switch req.Header.MsgType {
		case "kernel_info_request":
			k.send(sock, req.Identities, req.Header, "kernel_info_reply", `{"status":"ok","implementation":"fake","language_info":{"name":"go"}}`)
		case "execute_request":
			var c struct{ Code string }
			_ = req.DecodeContent(&c)
			if c.Code == "flood" {
				for range floodLines {
					k.send(k.iopub, nil, req.Header, "stream", `{"name":"stdout","text":"line\n"}`)
				}
				k.send(sock, req.Identities, req.Header, "execute_reply", `{"status":"ok","execution_count":2}`)
				break
			}
			k.send(k.iopub, nil, req.Header, "stream", `{"name":"stdout","text":"hello\n"}`)
			// A message with a wrong signature must be dropped.
			forged, _ := signer{key: []byte("wrong")}.encode(&Message{Header: newHeader("kernel", "stream"), ParentHeader: req.Header, Content: json.RawMessage(`{"name":"stdout","text":"forged\n"}`)})
			k.iopub.SendMulti(zmq4.NewMsgFrom(forged...))
			k.send(k.iopub, nil, req.Header, "execute_result", `{"execution_count":1,"data":{"text/plain":"2"},"metadata":{}}`)
			k.send(sock, req.Identities, req.Header, "execute_reply", `{"status":"ok","execution_count":1}`)
		case "interrupt_request":
			k.send(sock, req.Identities, req.Header, "interrupt_reply", `{"status":"ok"}`)
		case "shutdown_request":
			k.send(sock, req.Identities, req.Header, "shutdown_reply", `{"status":"ok","restart":false}`)
		}
		k.send(k.iopub, nil, req.Header, "status", `{"execution_state":"idle"}`)
	}
}

func TestClientAgainstFakeKernel(t *testing.T) {
	info, _ := startFakeKernel(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := Dial(ctx, info)
	require.NoError(t, err)
	defer c.Close()

	ki, err := c.KernelInfo(ctx)
	require.NoError(t, err)
	assert.Equal(t, "fake", ki.Implementation)

	ex, err := c.Execute(ctx, "1+1")
	require.NoError(t, err)
	assert.Equal(t, "ok", ex.Reply.Status)
	assert.Equal(t, "hello\n", ex.Stdout())
	require.Len(t, ex.Outputs, 2)
	assert.Equal(t, "execute_result", ex.Outputs[1].Type)
	assert.Equal(t, "2", ex.Outputs[1].Data["text/plain"])

	require.NoError(t, c.Heartbeat(ctx))
	require.NoError(t, c.Interrupt(ctx)) // no process: interrupt_request
	require.NoError(t, c.Shutdown(ctx, false))
}

// floodLines is how many stream messages the fake kernel sends for the
// code "flood": three queues' worth, so that after the batch the caller
// took first and a full queue while it waits, some must be lost.
const floodLines = 3 * maxQueued

// A caller slower than the kernel's output for longer than the queue
// holds loses output, and says how much, but never the status idle that
// ends the request.
func TestFloodLosesOutputNotTheEnd(t *testing.T) {
	info, _ := startFakeKernel(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c, err := Dial(ctx, info)
	require.NoError(t, err)
	defer c.Close()
	got := 0
	ex, err := c.ExecuteStream(ctx, ExecuteRequest{Code: "flood"}, func(Output) {
		if got == 0 {
			// Take nothing more until the client's queue has overflowed:
			// three queues' worth of lines leave it no other way to end.
			for !overflowed(c) && ctx.Err() == nil {
				time.Sleep(time.Millisecond)
			}
		}
		got++
	})
	require.NoError(t, err, "the request ends although its status idle came when the buffer was full")
	assert.Equal(t, "ok", ex.Reply.Status)
	assert.Positive(t, ex.Dropped, "got %d of %d", got, floodLines)
	assert.Equal(t, floodLines, got+ex.Dropped, "every line is either handed over or counted as dropped")
}

// overflowed reports whether some waiter of c has lost output.
func overflowed(c *Client) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, w := range c.waiters {
		if w.dropped > 0 {
			return true
		}
	}
	return false
}

func TestDialTimesOut(t *testing.T) {
	info, err := NewConnectionInfo() // nobody listens
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err = Dial(ctx, info)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestStartKernelBadArgv(t *testing.T) {
	_, err := StartKernel(KernelSpec{}, nil, nil)
	assert.ErrorContains(t, err, "empty argv")
	_, err = StartKernel(KernelSpec{Argv: []string{filepath.Join(t.TempDir(), "no-such-kernel")}}, nil, nil)
	assert.ErrorContains(t, err, "no-such-kernel")
}
