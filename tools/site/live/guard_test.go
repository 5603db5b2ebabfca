package live_test

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sockbook/sockbook/tools/jupyter"
	"github.com/sockbook/sockbook/tools/site/live"
	"github.com/sockbook/sockbook/tools/site/sitegen"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// site serves a page at / and srv under live.Prefix, behind the Host
// guard, as tools/site's serve does.
func site(t testing.TB, cfg live.Config) (*httptest.Server, *live.Server) {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	host := ts.Listener.Addr().String()
	cfg.Hosts = []string{host}
	if cfg.Render == nil {
		cfg.Render = sitegen.RenderOutput
	}
	srv, err := live.New(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, srv.Close()) })
	mux := http.NewServeMux()
	mux.Handle(live.Prefix, srv)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `<meta name="sockbook-token" content="`+srv.Token()+`">`)
	})
	ts.Config.Handler = live.Guard(cfg.Hosts, mux)
	ts.Start()
	t.Cleanup(ts.Close)
	return ts, srv
}

// post sends what a page of ours sends, changed by edit.
func post(t testing.TB, ts *httptest.Server, token, path, body string, edit func(*http.Request)) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, ts.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Origin", ts.URL)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(live.TokenHeader, token)
	if edit != nil {
		edit(req)
	}
	resp, err := ts.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// noKernel cannot start: a request that gets past every check fails
// there, with 500, which tells it apart from a refusal.
var noKernel = jupyter.KernelSpec{Argv: []string{"/nonexistent/sockbook-kernel", "{connection_file}"}}

func TestRefusesAttacks(t *testing.T) {
	ts, srv := site(t, live.Config{Spec: noKernel, MaxRequest: 1 << 10})
	good := srv.Token()
	const start = live.Prefix + "sessions"
	_, port, err := net.SplitHostPort(ts.Listener.Addr().String())
	require.NoError(t, err)

	code, msg := post(t, ts, good, start, `{}`, nil)
	require.Equal(t, http.StatusInternalServerError, code, "the control request passes every check and fails starting the kernel: %s", msg)
	assert.Contains(t, msg, "start kernel")

	for _, c := range []struct {
		name, token, body string
		edit              func(*http.Request)
		status            int
		says              string
	}{
		{"no token", "", `{}`, nil, http.StatusForbidden, "missing or wrong X-Sockbook-Token"},
		{"wrong token", good[:len(good)-1] + "x", `{}`, nil, http.StatusForbidden, "missing or wrong"},
		{"token of another start", strings.Repeat("0", len(good)), `{}`, nil, http.StatusForbidden, "missing or wrong"},
		{"foreign origin", good, `{}`, func(r *http.Request) { r.Header.Set("Origin", "http://evil.example") }, http.StatusForbidden, `origin "http://evil.example"`},
		{"same host, other scheme", good, `{}`, func(r *http.Request) { r.Header.Set("Origin", strings.Replace(ts.URL, "http:", "https:", 1)) }, http.StatusForbidden, "may not run code"},
		{"null origin (sandboxed frame, file://)", good, `{}`, func(r *http.Request) { r.Header.Set("Origin", "null") }, http.StatusForbidden, `origin "null"`},
		{"no origin", good, `{}`, func(r *http.Request) { r.Header.Del("Origin") }, http.StatusForbidden, "no Origin header"},
		{"foreign host (DNS rebinding)", good, `{}`, func(r *http.Request) {
			r.Host = "rebind.evil.example:" + port
			r.Header.Set("Origin", "http://"+r.Host)
		}, http.StatusMisdirectedRequest, "is not served here"},
		{"GET", good, ``, func(r *http.Request) { r.Method = http.MethodGet }, http.StatusMethodNotAllowed, "GET not allowed"},
		{"oversize body", good, `{"code": "` + strings.Repeat("x", 2<<10) + `"}`, nil, http.StatusRequestEntityTooLarge, "over 1024 bytes"},
		{"oversize body, no length", good, `{"code": "` + strings.Repeat("x", 2<<10) + `"}`, func(r *http.Request) {
			r.ContentLength = -1
			r.Body = io.NopCloser(bytes.NewReader([]byte(`{"code": "` + strings.Repeat("x", 2<<10) + `"}`)))
		}, http.StatusRequestEntityTooLarge, "over 1024 bytes"},
		{"not JSON", good, `code=1`, nil, http.StatusBadRequest, "not JSON"},
		{"token in body, wrong", "", `{"token": "nope"}`, nil, http.StatusForbidden, "missing or wrong"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, msg := post(t, ts, c.token, start, c.body, c.edit)
			assert.Equal(t, c.status, code, msg)
			assert.Contains(t, msg, c.says)
		})
	}

	code, msg = post(t, ts, "", start, `{"token": "`+good+`"}`, nil)
	assert.Equal(t, http.StatusInternalServerError, code, "the token may come in the body, as navigator.sendBeacon sends it: %s", msg)
}

func TestGuardRefusesPagesToForeignHosts(t *testing.T) {
	ts, srv := site(t, live.Config{Spec: noKernel})
	get := func(host string) (int, string) {
		req, err := http.NewRequest(http.MethodGet, ts.URL+"/", nil)
		require.NoError(t, err)
		req.Host = host
		resp, err := ts.Client().Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, page := get(ts.Listener.Addr().String())
	assert.Equal(t, http.StatusOK, code)
	assert.Contains(t, page, srv.Token(), "our own host gets the page with its token")

	code, page = get("attacker.example:80")
	assert.Equal(t, http.StatusMisdirectedRequest, code)
	assert.NotContains(t, page, srv.Token(), "a rebinding name must not get the token")
}

func TestUnknownSession(t *testing.T) {
	ts, srv := site(t, live.Config{Spec: noKernel})
	code, msg := post(t, ts, srv.Token(), live.Prefix+"sessions/0123/ping", `{}`, nil)
	assert.Equal(t, http.StatusNotFound, code)
	assert.Contains(t, msg, `no session "0123"`)
}

func TestNewChecksConfig(t *testing.T) {
	_, err := live.New(live.Config{Hosts: []string{"localhost:1"}, Render: sitegen.RenderOutput})
	assert.EqualError(t, err, "live: Config.Spec has no argv")
	_, err = live.New(live.Config{Spec: noKernel, Render: sitegen.RenderOutput})
	assert.EqualError(t, err, "live: Config.Hosts is empty")
	_, err = live.New(live.Config{Spec: noKernel, Hosts: []string{"localhost:1"}})
	assert.EqualError(t, err, "live: Config.Render is nil")
}
