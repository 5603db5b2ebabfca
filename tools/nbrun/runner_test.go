package nbrun

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/sockbook/sockbook/tools/jupyter"
	"github.com/sockbook/sockbook/tools/nbformat"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeKernel answers each code string from a table, as a kernel would.
type fakeKernel struct {
	answers     map[string]*jupyter.Execution
	hang        string // code that never returns until interrupted
	interrupted bool
	ran         []string
}

func (k *fakeKernel) Execute(ctx context.Context, code string) (*jupyter.Execution, error) {
	k.ran = append(k.ran, code)
	if code == k.hang {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	if code == "die" {
		return nil, errors.New("jupyter: kernel exited: signal: killed")
	}
	ex, ok := k.answers[code]
	if !ok {
		return &jupyter.Execution{Reply: jupyter.ExecuteReply{Status: "ok", ExecutionCount: len(k.ran)}}, nil
	}
	ex.Reply.ExecutionCount = len(k.ran)
	return ex, nil
}

func (k *fakeKernel) Interrupt(ctx context.Context) error {
	k.interrupted = true
	return nil
}

func stdout(text ...string) *jupyter.Execution {
	ex := &jupyter.Execution{Reply: jupyter.ExecuteReply{Status: "ok"}}
	for _, t := range text {
		ex.Outputs = append(ex.Outputs, jupyter.Output{Type: "stream", Name: "stdout", Text: t})
	}
	return ex
}

func code(src string, outs ...*nbformat.Output) *nbformat.Cell {
	return &nbformat.Cell{Type: "code", Source: src, Metadata: map[string]any{}, Outputs: outs}
}

func stream(name, text string) *nbformat.Output {
	return &nbformat.Output{Type: "stream", Name: name, Text: text}
}

func notebook(cells ...*nbformat.Cell) *nbformat.Notebook {
	return &nbformat.Notebook{Nbformat: 4, NbformatMinor: 5, Metadata: map[string]any{}, Cells: cells}
}

func TestMatchingOutputsPass(t *testing.T) {
	nb := notebook(
		&nbformat.Cell{Type: "markdown", Source: "## TCP", Metadata: map[string]any{"sockbook": map[string]any{"recipe": "tcp-echo"}}},
		code("a", stream("stdout", "Hello World\n")),
	)
	// The kernel sends the text in two chunks; the notebook holds one.
	k := &fakeKernel{answers: map[string]*jupyter.Execution{"a": stdout("Hello ", "World\n")}}
	res, err := Run(context.Background(), nb, k, Options{})
	require.NoError(t, err)
	require.Len(t, res, 1)
	assert.Equal(t, Passed, res[0].Status, res[0].Reason)
	assert.Equal(t, "tcp-echo", res[0].Recipe)
	assert.Equal(t, "cell 1 (tcp-echo)", res[0].Name())
}

func TestDifferentOutputsFailWithADiff(t *testing.T) {
	nb := notebook(code("a", stream("stdout", "one\ntwo\nthree\n")))
	k := &fakeKernel{answers: map[string]*jupyter.Execution{"a": stdout("one\n2\nthree\n")}}
	res, err := Run(context.Background(), nb, k, Options{})
	require.NoError(t, err)
	assert.Equal(t, Failed, res[0].Status)
	assert.Equal(t, "outputs differ", res[0].Reason)
	assert.Contains(t, res[0].Diff, "-two\n+2\n")
	assert.Contains(t, res[0].Diff, "--- stored\n+++ new\n")
}

func TestSanitizersApplyToBothSides(t *testing.T) {
	nb := notebook(code("a", stream("stdout", "listening on 127.0.0.1:40001\n")))
	nb.Metadata["sockbook"] = map[string]any{"sanitizers": []any{
		map[string]any{"pattern": `127\.0\.0\.1:\d+`, "replace": "127.0.0.1:PORT"},
	}}
	k := &fakeKernel{answers: map[string]*jupyter.Execution{"a": stdout("listening on 127.0.0.1:51234\n")}}
	res, err := Run(context.Background(), nb, k, Options{})
	require.NoError(t, err)
	assert.Equal(t, Passed, res[0].Status, res[0].Diff)

	nb.Metadata["sockbook"] = map[string]any{"sanitizers": []any{map[string]any{"pattern": "("}}}
	_, err = Run(context.Background(), nb, k, Options{})
	require.ErrorContains(t, err, "sanitizer 0")
}

func TestSkipTagAndRequirements(t *testing.T) {
	skipped := code("never", stream("stdout", "kept\n"))
	skipped.Metadata["tags"] = []any{"skip-execution"}
	needs := code("root only", stream("stdout", "kept too\n"))
	needs.Metadata["sockbook"] = map[string]any{"requires": []any{"afalg"}}
	nb := notebook(skipped, needs, code("a"))

	k := &fakeKernel{}
	checks := map[string]func() string{"afalg": func() string { return "no AF_ALG here" }}
	res, err := Run(context.Background(), nb, k, Options{Requirements: checks, Update: true})
	require.NoError(t, err)
	assert.Equal(t, Skipped, res[0].Status)
	assert.Equal(t, "tagged skip-execution", res[0].Reason)
	assert.Equal(t, Skipped, res[1].Status)
	assert.Equal(t, "requires afalg: no AF_ALG here", res[1].Reason)
	assert.Equal(t, Passed, res[2].Status)
	assert.Equal(t, []string{"a"}, k.ran, "skipped cells never reach the kernel")
	assert.Equal(t, "kept\n", skipped.Outputs[0].Text, "an update keeps a skipped cell's stored outputs")

	needs.Metadata["sockbook"] = map[string]any{"requires": []any{"quantum"}}
	_, err = Run(context.Background(), nb, k, Options{Requirements: checks})
	require.ErrorContains(t, err, `unknown requirement "quantum"`)
}

func errorExecution(ename, evalue string) *jupyter.Execution {
	return &jupyter.Execution{
		Reply:   jupyter.ExecuteReply{Status: "error", EName: ename, EValue: evalue},
		Outputs: []jupyter.Output{{Type: "error", EName: ename, EValue: evalue}},
	}
}

func TestUnexpectedErrorStopsTheRun(t *testing.T) {
	nb := notebook(code("bad"), code("after"))
	k := &fakeKernel{answers: map[string]*jupyter.Execution{"bad": errorExecution("ERROR", "undefined: x")}}
	res, err := Run(context.Background(), nb, k, Options{})
	require.NoError(t, err)
	assert.Equal(t, Failed, res[0].Status)
	assert.Equal(t, "unexpected error: ERROR: undefined: x", res[0].Reason)
	assert.Equal(t, Skipped, res[1].Status)
	assert.Equal(t, "not run: cell 0 failed", res[1].Reason)
}

func TestRaisesExceptionTag(t *testing.T) {
	bad := code("bad", &nbformat.Output{Type: "error", Ename: "ERROR", Evalue: "undefined: x", Traceback: []string{}})
	bad.Metadata["tags"] = []any{"raises-exception"}
	quiet := code("quiet")
	quiet.Metadata["tags"] = []any{"raises-exception"}
	nb := notebook(bad, quiet)
	k := &fakeKernel{answers: map[string]*jupyter.Execution{"bad": errorExecution("ERROR", "undefined: x")}}
	res, err := Run(context.Background(), nb, k, Options{})
	require.NoError(t, err)
	assert.Equal(t, Passed, res[0].Status, res[0].Reason)
	assert.Equal(t, Failed, res[1].Status)
	assert.Equal(t, "tagged raises-exception but ran without error", res[1].Reason)
}

func TestTimeoutInterrupts(t *testing.T) {
	nb := notebook(code("forever"), code("next"))
	k := &fakeKernel{hang: "forever"}
	res, err := Run(context.Background(), nb, k, Options{CellTimeout: 50 * time.Millisecond})
	require.NoError(t, err)
	assert.Equal(t, Failed, res[0].Status)
	assert.Equal(t, "timed out after 50ms; interrupted", res[0].Reason)
	assert.True(t, k.interrupted)
	assert.Equal(t, Skipped, res[1].Status)
}

func TestKernelErrorNamesTheCell(t *testing.T) {
	nb := notebook(code("ok"), code("die"))
	res, err := Run(context.Background(), nb, &fakeKernel{}, Options{})
	require.NoError(t, err)
	assert.Equal(t, Failed, res[1].Status)
	assert.Contains(t, res[1].Reason, "kernel exited")
	assert.Equal(t, "cell 1", res[1].Name())
}

func TestUpdateStoresOutputsAndIsStable(t *testing.T) {
	nb := notebook(code("a", stream("stdout", "old\n")))
	k := &fakeKernel{answers: map[string]*jupyter.Execution{"a": {
		Reply: jupyter.ExecuteReply{Status: "ok"},
		Outputs: []jupyter.Output{
			{Type: "stream", Name: "stdout", Text: "new "},
			{Type: "stream", Name: "stdout", Text: "text\n"},
			{Type: "execute_result", Data: map[string]any{"text/plain": "42"}},
		},
	}}}
	_, err := Run(context.Background(), nb, k, Options{Update: true})
	require.NoError(t, err)
	first, err := nb.Marshal()
	require.NoError(t, err)
	assert.Contains(t, string(first), `"new text\n"`, "chunks of one stream are stored as one output")
	assert.Equal(t, 1, *nb.Cells[0].ExecutionCount)

	// Checking the updated notebook passes; updating again changes nothing
	// but the execution counts, which restart with a fresh kernel.
	k.ran = nil
	res, err := Run(context.Background(), nb, k, Options{})
	require.NoError(t, err)
	assert.Equal(t, Passed, res[0].Status, res[0].Diff)
	k.ran = nil
	_, err = Run(context.Background(), nb, k, Options{Update: true})
	require.NoError(t, err)
	second, err := nb.Marshal()
	require.NoError(t, err)
	assert.Equal(t, string(first), string(second))
}

func TestRender(t *testing.T) {
	got := Render([]*nbformat.Output{
		stream("stderr", "warn"),
		stream("stdout", "a\n"),
		{Type: "execute_result", Data: map[string]any{"text/plain": "1", "text/html": "<b>1</b>", "image/png": "..."}},
		stream("stdout", "b\n"),
		{Type: "error", Ename: "E", Evalue: "v", Traceback: []string{"ignored"}},
	})
	want := strings.Join([]string{
		"[stdout]", "a", "b",
		"[stderr]", "warn",
		"[execute_result text/plain]", "1",
		"[execute_result text/html]", "<b>1</b>",
		"[error]", "E: v", "",
	}, "\n")
	assert.Equal(t, want, got)
}

func TestUnifiedDiff(t *testing.T) {
	assert.Equal(t, "", unifiedDiff("a", "b", "same\n", "same\n"))
	d := unifiedDiff("stored", "new", "1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nfive\n6\n7\n8\n9\n")
	assert.Equal(t, "--- stored\n+++ new\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n", d)
	d = unifiedDiff("s", "n", "x", "y")
	assert.Contains(t, d, "-x\n\\ No newline at end of text\n+y\n")
}

func TestForJupyterAndCompare(t *testing.T) {
	needs := code("afalg only", stream("stdout", "kernel\n"))
	needs.Metadata["sockbook"] = map[string]any{"requires": []any{"afalg"}}
	nb := notebook(code("a", stream("stdout", "port 40001\n")), needs)
	nb.Metadata["sockbook"] = map[string]any{"sanitizers": []any{
		map[string]any{"pattern": `port \d+`, "replace": "port N"},
	}}
	cp, err := ForJupyter(nb, map[string]func() string{"afalg": func() string { return "missing" }})
	require.NoError(t, err)
	assert.True(t, cp.Cells[1].HasTag("skip-execution"))
	assert.False(t, nb.Cells[1].HasTag("skip-execution"), "the original is not changed")

	cp.Cells[0].Outputs = []*nbformat.Output{stream("stdout", "port 51234\n")}
	res, err := Compare(nb, cp)
	require.NoError(t, err)
	assert.Equal(t, Passed, res[0].Status, res[0].Diff)
	assert.Equal(t, Skipped, res[1].Status)

	cp.Cells[0].Outputs = []*nbformat.Output{stream("stdout", "other\n")}
	res, err = Compare(nb, cp)
	require.NoError(t, err)
	assert.Equal(t, Failed, res[0].Status)
	assert.Contains(t, res[0].Diff, "+other")
}
