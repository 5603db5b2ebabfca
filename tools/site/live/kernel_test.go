package live_test

import (
	"bufio"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sockbook/sockbook/internal/testenv"
	"github.com/sockbook/sockbook/tools/kernel/kernelbin"
	"github.com/sockbook/sockbook/tools/nbformat"
	"github.com/sockbook/sockbook/tools/site/live"
	"github.com/sockbook/sockbook/tools/site/sitegen"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMain fails the run if a kernel process outlives the tests.
func TestMain(m *testing.M) { os.Exit(testenv.RunNoChildren(m)) }

func kernelSite(t testing.TB, cfg live.Config) (*httptest.Server, *live.Server) {
	t.Helper()
	cfg.Spec = kernelbin.ForTest(t)
	return site(t, cfg)
}

// event is one server-sent event of an execute stream.
type event struct {
	Name string
	Data map[string]any
}

// run executes code in session id and returns the events until the stream
// ends; first is the time from sending to the first output event.
func run(t testing.TB, ts *httptest.Server, token, id, code string) (events []event, first time.Duration) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"code": code})
	req, err := http.NewRequest(http.MethodPost, ts.URL+live.Prefix+"sessions/"+id+"/execute", strings.NewReader(string(body)))
	require.NoError(t, err)
	req.Header.Set("Origin", ts.URL)
	req.Header.Set(live.TokenHeader, token)
	start := time.Now()
	resp, err := ts.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 4<<20)
	var name string
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			var d map[string]any
			require.NoError(t, json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &d))
			if name == "output" && first == 0 {
				first = time.Since(start)
			}
			events = append(events, event{name, d})
		}
	}
	require.NoError(t, sc.Err())
	return events, first
}

// outputs returns the last HTML of each output index, as the page shows it.
func outputs(events []event) []string {
	var html []string
	for _, e := range events {
		if e.Name != "output" {
			continue
		}
		i := int(e.Data["index"].(float64))
		for len(html) <= i {
			html = append(html, "")
		}
		html[i] = e.Data["html"].(string)
	}
	return html
}

func newSession(t testing.TB, ts *httptest.Server, token string) string {
	t.Helper()
	code, msg := post(t, ts, token, live.Prefix+"sessions", `{}`, nil)
	require.Equal(t, http.StatusOK, code, msg)
	var r struct{ ID string }
	require.NoError(t, json.Unmarshal([]byte(msg), &r))
	return r.ID
}

func TestRunKeepsStateAndRendersAsTheSite(t *testing.T) {
	ts, srv := kernelSite(t, live.Config{})
	tok := srv.Token()
	id := newSession(t, ts, tok)

	ev, _ := run(t, ts, tok, id, "import \"fmt\"\ngreeting := \"hello\"")
	require.NotEmpty(t, ev)
	assert.Equal(t, "end", ev[len(ev)-1].Name)
	assert.Equal(t, "ok", ev[len(ev)-1].Data["status"])

	ev, _ = run(t, ts, tok, id, `fmt.Println(greeting, "from the page")`)
	want := sitegen.RenderOutput(&nbformat.Output{Type: "stream", Name: "stdout", Text: "hello from the page\n"})
	assert.Equal(t, []string{string(want)}, outputs(ev), "a later cell sees an earlier cell's variable, and its output is the site's HTML")

	ev, _ = run(t, ts, tok, id, `var x int = "not a number"`)
	end := ev[len(ev)-1]
	assert.Equal(t, "error", end.Data["status"])
	html := outputs(ev)
	require.Len(t, html, 1)
	assert.Contains(t, html[0], `class="output error"`)
	assert.Contains(t, html[0], "compile error")
}

func TestInterruptABlockedAccept(t *testing.T) {
	ts, srv := kernelSite(t, live.Config{})
	tok := srv.Token()
	id := newSession(t, ts, tok)
	ev, _ := run(t, ts, tok, id, "import (\"fmt\"; \"net\")\nln, _ := net.Listen(\"tcp\", \"127.0.0.1:0\")")
	require.Equal(t, "ok", ev[len(ev)-1].Data["status"])

	done := make(chan []event, 1)
	go func() {
		ev, _ := run(t, ts, tok, id, `fmt.Println("waiting"); ln.Accept()`)
		done <- ev
	}()
	// Interrupt once the cell is running: its first output says so.
	deadline := time.Now().Add(30 * time.Second)
	for {
		code, msg := post(t, ts, tok, live.Prefix+"sessions/"+id+"/ping", `{}`, nil)
		require.Equal(t, http.StatusOK, code)
		if strings.Contains(msg, "busy") {
			break
		}
		require.True(t, time.Now().Before(deadline), "the cell never started")
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	code, msg := post(t, ts, tok, live.Prefix+"sessions/"+id+"/interrupt", `{}`, nil)
	require.Equal(t, http.StatusOK, code, msg)
	select {
	case ev = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the interrupted cell's stream did not end")
	}
	assert.Equal(t, "error", ev[len(ev)-1].Data["status"])
	assert.Contains(t, strings.Join(outputs(ev), ""), "interrupted")

	ev, _ = run(t, ts, tok, id, `fmt.Println(ln.Addr().Network())`)
	assert.Equal(t, []string{string(sitegen.RenderOutput(&nbformat.Output{Type: "stream", Name: "stdout", Text: "tcp\n"}))}, outputs(ev),
		"the next cell runs, with the listener of the cell before")
}

func TestRestartAndDeath(t *testing.T) {
	ts, srv := kernelSite(t, live.Config{})
	tok := srv.Token()
	id := newSession(t, ts, tok)
	run(t, ts, tok, id, "import \"fmt\"\nn := 41")
	code, msg := post(t, ts, tok, live.Prefix+"sessions/"+id+"/restart", `{}`, nil)
	require.Equal(t, http.StatusOK, code, msg)
	ev, _ := run(t, ts, tok, id, `fmt.Println(n)`)
	assert.Equal(t, "error", ev[len(ev)-1].Data["status"], "a restart forgets every variable")

	// Kill the kernel process: the next run says the kernel died.
	ev, _ = run(t, ts, tok, id, "import (\"fmt\"; \"os\")\nfmt.Println(os.Getpid())")
	html := outputs(ev)
	require.Len(t, html, 1)
	m := regexp.MustCompile(`<pre[^>]*>(\d+)</pre>`).FindStringSubmatch(html[0])
	require.NotNil(t, m, html[0])
	pid, err := strconv.Atoi(m[1])
	require.NoError(t, err)
	require.NoError(t, syscall.Kill(pid, syscall.SIGKILL))
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, msg := post(t, ts, tok, live.Prefix+"sessions/"+id+"/ping", `{}`, nil)
		if strings.Contains(msg, "dead") {
			break
		}
		require.True(t, time.Now().Before(deadline), "ping never said dead: %s", msg)
		time.Sleep(20 * time.Millisecond)
	}
	ev, _ = run(t, ts, tok, id, `fmt.Println("anyone?")`)
	require.NotEmpty(t, ev)
	assert.Equal(t, "dead", ev[len(ev)-1].Name)
	assert.Contains(t, ev[len(ev)-1].Data["message"], "The kernel died")

	code, msg = post(t, ts, tok, live.Prefix+"sessions/"+id+"/restart", `{}`, nil)
	require.Equal(t, http.StatusOK, code, msg)
	ev, _ = run(t, ts, tok, id, "import \"fmt\"\nfmt.Println(\"back\")")
	assert.Equal(t, "ok", ev[len(ev)-1].Data["status"], "restart brings a dead kernel back")
}

func TestFloodIsCapped(t *testing.T) {
	ts, srv := kernelSite(t, live.Config{MaxOutput: 64 << 10})
	tok := srv.Token()
	id := newSession(t, ts, tok)
	ev, _ := run(t, ts, tok, id, "import \"fmt\"\nfor i := 0; i < 200000; i++ { fmt.Println(\"line\", i) }")
	assert.Equal(t, "ok", ev[len(ev)-1].Data["status"])
	html := strings.Join(outputs(ev), "")
	// Either the cap cut the output, or the kernel outran the server and
	// the server said how much was lost; both keep the page alive.
	assert.Regexp(t, `output past 65536 bytes is not shown here|\d+ outputs were dropped`, html)
	assert.Less(t, len(html), 200<<10, "the page gets about MaxOutput, not the whole flood")
	n := 0
	for _, e := range ev {
		if e.Name == "output" {
			n++
		}
	}
	assert.Less(t, n, 1000, "output is sent in batches, not an event per line")
}

func TestKernelCapAndClose(t *testing.T) {
	ts, srv := kernelSite(t, live.Config{MaxKernels: 1})
	tok := srv.Token()
	id := newSession(t, ts, tok)
	code, msg := post(t, ts, tok, live.Prefix+"sessions", `{}`, nil)
	assert.Equal(t, http.StatusServiceUnavailable, code)
	assert.Contains(t, msg, "1 kernels are running")

	code, msg = post(t, ts, "", live.Prefix+"sessions/"+id+"/close", `{"token": "`+tok+`"}`, nil)
	require.Equal(t, http.StatusOK, code, msg)
	newSession(t, ts, tok) // the closed page's kernel made room
}

func TestIdleKernelStops(t *testing.T) {
	ts, srv := kernelSite(t, live.Config{IdleTimeout: 300 * time.Millisecond})
	tok := srv.Token()
	id := newSession(t, ts, tok)
	deadline := time.Now().Add(20 * time.Second)
	for {
		code, _ := post(t, ts, tok, live.Prefix+"sessions/"+id+"/ping", `{}`, nil)
		if code == http.StatusNotFound {
			break
		}
		require.True(t, time.Now().Before(deadline), "the idle kernel was never stopped")
		time.Sleep(50 * time.Millisecond) // pings keep it alive, so wait between them
		time.Sleep(400 * time.Millisecond)
	}
}

// BenchmarkFirstOutput measures Run → first output for a trivial cell on
// a warm kernel, through HTTP as a page sends it (issue 19's target: 50 ms).
func BenchmarkFirstOutput(b *testing.B) {
	ts, srv := kernelSite(b, live.Config{})
	tok := srv.Token()
	id := newSession(b, ts, tok)
	run(b, ts, tok, id, "import \"fmt\"\nfmt.Println(\"warm\")")
	var total time.Duration
	for b.Loop() {
		_, first := run(b, ts, tok, id, `fmt.Println("hi")`)
		total += first
	}
	b.ReportMetric(float64(total.Microseconds())/float64(b.N)/1000, "ms/first-output")
}
