package classroom

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/websocket"

	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/tools/kernel/kernelbin"
	"github.com/sockbook/sockbook/tools/nbformat"
)

// JupyterHub is the requirement name for Debian's jupyterhub and
// configurable-http-proxy (.ci/classroom installs them).
const JupyterHub = "jupyterhub"

// hubNofile is the open-files limit the test asks the config for, distinct
// from this machine's defaults so that seeing it proves the config set it.
const hubNofile = 12345

// Debian's JupyterHub, configured by jupyterhub_config.py, serves two
// learners on loopback: each one's server starts as that learner, lists
// the sockbook kernel, holds a copy of the course, and runs the first cells
// of 01-addresses in a kernel of its own, with the limits the config sets.
// The test prints the time from the server start request to the first cell
// output, and the resident memory of the hub and of each idle learner.
func TestJupyterHubTwoLearners(t *testing.T) {
	testenv.MustBeRoot(t) // to add learners and let the hub become them
	for _, tool := range []string{"/usr/bin/jupyterhub", "/usr/bin/jupyterhub-singleuser", "/usr/bin/configurable-http-proxy"} {
		if _, err := os.Stat(tool); err != nil {
			testenv.Skip(t, JupyterHub, "apt-get install jupyterhub: "+err.Error())
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	kernel, err := kernelbin.BuildHere(ctx, os.Stderr)
	require.NoError(t, err)
	course := filepath.Join(stagedDir(t), CourseDir)

	// The kernel goes system-wide into a prefix of its own, readable by
	// the learners, as /usr/local would be.
	prefix, err := os.MkdirTemp("", "sockbook-hub-")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(prefix) })
	require.NoError(t, os.Chmod(prefix, 0o755))
	_, err = kernelbin.Install(kernel, "/", prefix)
	require.NoError(t, err)
	kernelPath := filepath.Join(prefix, "lib", "sockbook", "sockbook-kernel")

	nb, err := nbformat.ReadFile("../notebooks/01-addresses.ipynb")
	require.NoError(t, err)
	var code []*nbformat.Cell
	for _, c := range firstCodeCells(nb.Cells, 2) {
		if c.Type == "code" {
			code = append(code, c)
		}
	}
	require.Len(t, code, 2)
	imports, hostname := code[0], code[1] // the imports, Get Hostname
	wantResult := storedResult(t, hostname)
	host, err := os.Hostname()
	require.NoError(t, err)

	hub := startHub(t, ctx, prefix, course)
	learners := []*learner{newLearner(t, "a"), newLearner(t, "b")}
	for _, l := range learners {
		hub.addUser(t, ctx, l.name)
		start := time.Now()
		hub.startServer(t, ctx, l.name)
		ready := time.Since(start)

		// The learner's server lists the system-wide kernel.
		var specs struct {
			Kernelspecs map[string]struct {
				Spec struct{ Argv []string }
			}
		}
		hub.userAPI(t, ctx, l.name, "GET", "api/kernelspecs", nil, &specs)
		require.Contains(t, specs.Kernelspecs, "sockbook", "kernelspecs of %s's server", l.name)
		assert.Equal(t, kernelPath, specs.Kernelspecs["sockbook"].Spec.Argv[0])
		// ... and the learner's own copy of the course.
		var nbInfo struct{ Name, Writable any }
		hub.userAPI(t, ctx, l.name, "GET", "api/contents/sockbook/notebooks/01-addresses.ipynb?content=0", nil, &nbInfo)
		assert.Equal(t, "01-addresses.ipynb", nbInfo.Name)
		assert.Equal(t, true, nbInfo.Writable, "the learner's copy of the course must be theirs")

		var k struct{ ID string }
		hub.userAPI(t, ctx, l.name, "POST", "api/kernels", map[string]string{"name": "sockbook"}, &k)
		require.NotEmpty(t, k.ID)
		ws := hub.channels(t, l.name, k.ID)
		defer ws.Close()
		_, _, err := execute(ctx, ws, imports.Source)
		require.NoError(t, err, "the imports cell")
		stdout, result, first, err := executeTimed(ctx, ws, hostname.Source)
		require.NoError(t, err, "the Get Hostname cell")
		l.firstOutput = first.Sub(start)
		assert.Equal(t, "os.Hostname(): "+host+"\n", stdout, "the cell's stdout")
		assert.Equal(t, wantResult, result, "the cell's result")
		t.Logf("%s: server ready %v after the start request, first cell output after %v",
			l.name, ready.Round(time.Millisecond), l.firstOutput.Round(time.Millisecond))

		l.kernelPid = processOf(t, kernelPath, l.uid)
		l.serverPid = parentOf(t, l.kernelPid)
		assert.Contains(t, cmdline(l.serverPid), "jupyterhub-singleuser", "the kernel's parent")
		assert.Equal(t, l.uid, uidOf(t, l.serverPid), "the server runs as the learner")
		assert.Equal(t, strconv.Itoa(hubNofile), limit(t, l.kernelPid, "Max open files"), "the kernel's RLIMIT_NOFILE")
		assert.Equal(t, strconv.Itoa(4<<30), limit(t, l.kernelPid, "Max address space"), "the kernel's RLIMIT_AS")
	}
	assert.NotEqual(t, learners[0].kernelPid, learners[1].kernelPid, "the learners share a kernel")
	assert.NotEqual(t, learners[0].serverPid, learners[1].serverPid, "the learners share a server")

	// Idle: the cells have run; give the servers a moment to settle.
	time.Sleep(3 * time.Second)
	hubRSS := rss(t, hub.cmd.Process.Pid)
	proxyRSS := rss(t, processOf(t, "", -1, "configurable-http-proxy"))
	t.Logf("memory: hub %d MiB, proxy %d MiB (shared by the class)", hubRSS>>20, proxyRSS>>20)
	for _, l := range learners {
		server, kern := rss(t, l.serverPid), rss(t, l.kernelPid)
		t.Logf("memory per idle learner %s: server %d MiB + kernel %d MiB = %d MiB; with hub and proxy %d MiB",
			l.name, server>>20, kern>>20, (server+kern)>>20, (hubRSS+proxyRSS+server+kern)>>20)
	}

	for _, l := range learners {
		hub.stopServer(t, ctx, l.name)
		assert.False(t, alive(l.kernelPid), "%s's kernel outlived the server", l.name)
		assert.False(t, alive(l.serverPid), "%s's server outlived its stop", l.name)
	}
}

// A learner is a throwaway local account, removed when the test ends.
type learner struct {
	name                 string
	uid                  int
	kernelPid, serverPid int
	firstOutput          time.Duration
}

func newLearner(t *testing.T, tag string) *learner {
	t.Helper()
	b := make([]byte, 3)
	rand.Read(b)
	name := "sbl" + tag + hex.EncodeToString(b)
	out, err := exec.Command("useradd", "--create-home", "--shell", "/bin/bash", name).CombinedOutput()
	require.NoError(t, err, "useradd %s: %s", name, out)
	uid := -1
	t.Cleanup(func() {
		// Anything still running as the learner (after a failure) would
		// keep userdel from removing them; the account is the test's own,
		// so everything it runs is too.
		for _, pid := range processesOf(uid) {
			syscall.Kill(pid, syscall.SIGKILL)
		}
		if out, err := exec.Command("userdel", "--remove", name).CombinedOutput(); err != nil {
			t.Errorf("userdel %s: %v: %s", name, err, out)
		}
	})
	out, err = exec.Command("id", "-u", name).Output()
	require.NoError(t, err)
	uid, err = strconv.Atoi(strings.TrimSpace(string(out)))
	require.NoError(t, err)
	return &learner{name: name, uid: uid}
}

// A hub is a running jupyterhub with the committed config loaded.
type hub struct {
	cmd   *exec.Cmd
	url   string // the proxy's public URL, where users' servers are
	token string // the teacher service's API token
	log   string
}

// startHub starts Debian's jupyterhub on loopback ports of its own, with
// jupyterhub_config.py loaded by a small config that only moves its state
// files and ports into the test's folder.
func startHub(t *testing.T, ctx context.Context, prefix, course string) *hub {
	t.Helper()
	dir := t.TempDir()
	cfg, err := filepath.Abs("jupyterhub_config.py")
	require.NoError(t, err)
	ports := freePorts(t, 3)
	wrapper := fmt.Sprintf(`c = get_config()
load_subconfig(%q)
c.JupyterHub.hub_bind_url = "http://127.0.0.1:%d"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:%d"
c.JupyterHub.db_url = "sqlite:///%s/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "%s/cookie_secret"
c.ConfigurableHTTPProxy.pid_file = "%s/proxy.pid"
`, cfg, ports[1], ports[2], dir, dir, dir)
	wrapperFile := filepath.Join(dir, "test_config.py")
	require.NoError(t, os.WriteFile(wrapperFile, []byte(wrapper), 0o600))

	b := make([]byte, 16)
	rand.Read(b)
	h := &hub{url: fmt.Sprintf("http://127.0.0.1:%d", ports[0]), token: hex.EncodeToString(b), log: filepath.Join(dir, "hub.log")}
	logf, err := os.Create(h.log)
	require.NoError(t, err)
	defer logf.Close()
	h.cmd = exec.Command("/usr/bin/jupyterhub", "-f", wrapperFile)
	h.cmd.Dir = dir
	h.cmd.Stdout, h.cmd.Stderr = logf, logf
	h.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// Debian's Python and Debian's tools only (python3 on PATH may be
	// another), and the settings the config reads.
	h.cmd.Env = []string{
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
		"LANG=C.UTF-8",
		// Debian's node finds the proxy's modules in /usr/share/nodejs by
		// itself; a node from elsewhere (NodeSource's) needs telling.
		"NODE_PATH=/usr/share/nodejs:/usr/lib/nodejs",
		"SOCKBOOK_PREFIX=" + prefix,
		"SOCKBOOK_COURSE=" + course,
		"SOCKBOOK_HUB_URL=" + h.url,
		"SOCKBOOK_NOFILE=" + strconv.Itoa(hubNofile),
		"SOCKBOOK_HUB_API_TOKEN=" + h.token,
	}
	require.NoError(t, h.cmd.Start())
	done := make(chan struct{})
	go func() { h.cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		h.cmd.Process.Signal(syscall.SIGTERM) // the hub stops the proxy and the servers
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Errorf("jupyterhub did not stop within 30s of SIGTERM")
			syscall.Kill(-h.cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
		if t.Failed() {
			b, _ := os.ReadFile(h.log)
			t.Logf("jupyterhub's log:\n%s", b)
		}
	})
	deadline := time.Now().Add(90 * time.Second)
	for {
		status, _, err := h.do(ctx, "GET", h.url+"/hub/api/", nil)
		if err == nil && status == http.StatusOK {
			return h
		}
		select {
		case <-done:
			t.Fatalf("jupyterhub exited before answering: %v", h.cmd.ProcessState)
		default:
		}
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(h.log)
			t.Fatalf("jupyterhub did not answer on %s within 90s (%v, status %d):\n%s", h.url, err, status, b)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// do sends an API request with the teacher's token and returns the status
// and body.
func (h *hub) do(ctx context.Context, method, url string, body any) (int, []byte, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, r)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "token "+h.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// call sends a request, requires one of the statuses want, and decodes the
// JSON reply into out unless out is nil.
func (h *hub) call(t *testing.T, ctx context.Context, method, url string, body, out any, want ...int) int {
	t.Helper()
	status, b, err := h.do(ctx, method, url, body)
	require.NoError(t, err, "%s %s", method, url)
	require.Contains(t, want, status, "%s %s: %s", method, url, b)
	if out != nil {
		require.NoError(t, json.Unmarshal(b, out), "%s %s: %s", method, url, b)
	}
	return status
}

func (h *hub) addUser(t *testing.T, ctx context.Context, name string) {
	h.call(t, ctx, "POST", h.url+"/hub/api/users/"+name, nil, nil, http.StatusCreated)
}

// startServer asks the hub for name's server, as a login does, and waits
// until the hub reports it ready.
func (h *hub) startServer(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	h.call(t, ctx, "POST", h.url+"/hub/api/users/"+name+"/server", nil, nil, http.StatusCreated, http.StatusAccepted)
	deadline := time.Now().Add(2 * time.Minute)
	for {
		var u struct {
			Servers map[string]struct{ Ready bool }
		}
		h.call(t, ctx, "GET", h.url+"/hub/api/users/"+name, nil, &u, http.StatusOK)
		if u.Servers[""].Ready {
			return
		}
		require.True(t, time.Now().Before(deadline), "%s's server not ready within 2 minutes", name)
		time.Sleep(50 * time.Millisecond)
	}
}

// stopServer stops name's server and waits until the hub has no server
// for name.
func (h *hub) stopServer(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	h.call(t, ctx, "DELETE", h.url+"/hub/api/users/"+name+"/server", nil, nil, http.StatusNoContent, http.StatusAccepted)
	deadline := time.Now().Add(time.Minute)
	for {
		var u struct{ Servers map[string]any }
		h.call(t, ctx, "GET", h.url+"/hub/api/users/"+name, nil, &u, http.StatusOK)
		if len(u.Servers) == 0 {
			return
		}
		require.True(t, time.Now().Before(deadline), "%s's server did not stop within a minute", name)
		time.Sleep(100 * time.Millisecond)
	}
}

// userAPI calls the Jupyter server API of name's server through the proxy.
func (h *hub) userAPI(t *testing.T, ctx context.Context, name, method, path string, body, out any) {
	t.Helper()
	h.call(t, ctx, method, h.url+"/user/"+name+"/"+path, body, out, http.StatusOK, http.StatusCreated)
}

// channels opens the websocket of kernel id on name's server.
func (h *hub) channels(t *testing.T, name, id string) *websocket.Conn {
	t.Helper()
	u := strings.Replace(h.url, "http://", "ws://", 1) + "/user/" + name + "/api/kernels/" + id + "/channels"
	cfg, err := websocket.NewConfig(u, h.url)
	require.NoError(t, err)
	cfg.Header.Set("Authorization", "token "+h.token)
	ws, err := websocket.DialConfig(cfg)
	require.NoError(t, err, "websocket %s", u)
	return ws
}

// wsMessage is a Jupyter message as the notebook server's websocket
// carries it: JSON, with the channel named.
type wsMessage struct {
	Channel      string          `json:"channel"`
	Header       wsHeader        `json:"header"`
	ParentHeader wsHeader        `json:"parent_header"`
	Metadata     map[string]any  `json:"metadata"`
	Content      json.RawMessage `json:"content"`
}

type wsHeader struct {
	MsgID    string `json:"msg_id,omitempty"`
	MsgType  string `json:"msg_type,omitempty"`
	Session  string `json:"session,omitempty"`
	Username string `json:"username,omitempty"`
	Version  string `json:"version,omitempty"`
}

func execute(ctx context.Context, ws *websocket.Conn, code string) (stdout, result string, err error) {
	stdout, result, _, err = executeTimed(ctx, ws, code)
	return stdout, result, err
}

// executeTimed runs code in the kernel behind ws and returns its stdout,
// the text/plain of its result, and when its first output arrived.
func executeTimed(ctx context.Context, ws *websocket.Conn, code string) (stdout, result string, first time.Time, err error) {
	id := hex.EncodeToString([]byte(time.Now().String()))[:32]
	content, _ := json.Marshal(map[string]any{"code": code, "silent": false, "store_history": true, "user_expressions": map[string]any{}, "allow_stdin": false, "stop_on_error": true})
	req := wsMessage{Channel: "shell", Header: wsHeader{MsgID: id, MsgType: "execute_request", Session: "classroom-test", Username: "test", Version: "5.3"}, Metadata: map[string]any{}, Content: content}
	if err := websocket.JSON.Send(ws, req); err != nil {
		return "", "", first, fmt.Errorf("send execute_request: %w", err)
	}
	deadline, ok := ctx.Deadline()
	if !ok || time.Until(deadline) > time.Minute {
		deadline = time.Now().Add(time.Minute)
	}
	ws.SetReadDeadline(deadline)
	var replied, idle bool
	for !replied || !idle {
		var m wsMessage
		if err := websocket.JSON.Receive(ws, &m); err != nil {
			return stdout, result, first, fmt.Errorf("read the kernel's messages: %w", err)
		}
		if m.ParentHeader.MsgID != id {
			continue
		}
		switch m.Header.MsgType {
		case "stream", "execute_result", "display_data", "error":
			if first.IsZero() {
				first = time.Now()
			}
		}
		switch m.Header.MsgType {
		case "execute_reply":
			replied = true
			var c struct{ Status, Ename, Evalue string }
			json.Unmarshal(m.Content, &c)
			if c.Status != "ok" {
				return stdout, result, first, fmt.Errorf("execute_reply %s: %s: %s", c.Status, c.Ename, c.Evalue)
			}
		case "status":
			var c struct {
				ExecutionState string `json:"execution_state"`
			}
			json.Unmarshal(m.Content, &c)
			idle = c.ExecutionState == "idle"
		case "stream":
			var c struct{ Name, Text string }
			json.Unmarshal(m.Content, &c)
			if c.Name == "stdout" {
				stdout += c.Text
			}
		case "execute_result":
			var c struct{ Data map[string]string }
			json.Unmarshal(m.Content, &c)
			result = c.Data["text/plain"]
		}
	}
	return stdout, result, first, nil
}

// storedResult returns the text/plain result the notebook stores for cell.
func storedResult(t *testing.T, cell *nbformat.Cell) string {
	t.Helper()
	for _, o := range cell.Outputs {
		if o.Type == "execute_result" {
			if s, ok := o.Data["text/plain"].(string); ok {
				return s
			}
		}
	}
	t.Fatalf("cell %s stores no text/plain result", cell.ID)
	return ""
}

// freePorts returns n loopback TCP ports that were free a moment ago.
func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var ports []int
	var lns []net.Listener
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		lns = append(lns, ln)
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	for _, ln := range lns {
		ln.Close()
	}
	return ports
}

// processOf returns the one process running exe (any, when empty) as uid
// (any, when negative) whose command line contains every word in words.
func processOf(t *testing.T, exe string, uid int, words ...string) int {
	t.Helper()
	pids, _ := filepath.Glob("/proc/[0-9]*")
	var found []int
	for _, p := range pids {
		pid, _ := strconv.Atoi(filepath.Base(p))
		if exe != "" {
			if target, err := os.Readlink(p + "/exe"); err != nil || target != exe {
				continue
			}
		}
		if uid >= 0 && uidOf(t, pid) != uid {
			continue
		}
		cl := cmdline(pid)
		if !allIn(cl, words) {
			continue
		}
		found = append(found, pid)
	}
	require.Len(t, found, 1, "processes of %q as uid %d with %q", exe, uid, words)
	return found[0]
}

// processesOf lists the processes running as uid.
func processesOf(uid int) []int {
	if uid < 0 {
		return nil
	}
	pids, _ := filepath.Glob("/proc/[0-9]*")
	var found []int
	for _, p := range pids {
		var st syscall.Stat_t
		if syscall.Stat(p, &st) == nil && int(st.Uid) == uid {
			pid, _ := strconv.Atoi(filepath.Base(p))
			found = append(found, pid)
		}
	}
	return found
}

func allIn(s string, words []string) bool {
	return !slices.ContainsFunc(words, func(w string) bool { return !strings.Contains(s, w) })
}

func cmdline(pid int) string {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	return strings.ReplaceAll(string(b), "\x00", " ")
}

// status returns the value of field in /proc/PID/status.
func status(t *testing.T, pid int, field string) string {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	require.NoError(t, err)
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			return strings.TrimSpace(v)
		}
	}
	t.Fatalf("/proc/%d/status has no %s", pid, field)
	return ""
}

func uidOf(t *testing.T, pid int) int {
	t.Helper()
	uid, err := strconv.Atoi(strings.Fields(status(t, pid, "Uid"))[0])
	require.NoError(t, err)
	return uid
}

func parentOf(t *testing.T, pid int) int {
	t.Helper()
	ppid, err := strconv.Atoi(status(t, pid, "PPid"))
	require.NoError(t, err)
	return ppid
}

// rss returns the resident memory of pid, in bytes.
func rss(t *testing.T, pid int) int64 {
	t.Helper()
	kb, err := strconv.ParseInt(strings.TrimSuffix(status(t, pid, "VmRSS"), " kB"), 10, 64)
	require.NoError(t, err)
	return kb << 10
}

// limit returns the soft limit named name in /proc/PID/limits.
func limit(t *testing.T, pid int, name string) string {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/limits", pid))
	require.NoError(t, err)
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, name); ok {
			return strings.Fields(v)[0]
		}
	}
	t.Fatalf("/proc/%d/limits has no %q", pid, name)
	return ""
}

// alive reports whether pid still runs, waiting up to ten seconds for it
// to go.
func alive(pid int) bool {
	for range 100 {
		if err := syscall.Kill(pid, 0); err != nil {
			return false
		}
		time.Sleep(100 * time.Millisecond)
	}
	return true
}
