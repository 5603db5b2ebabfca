// Package gokernel is the language side of the sockbook Jupyter kernel: it
// answers a jupyter.Server's requests with a session.Session (execute,
// interrupt), the linked packages' documentation (inspect), and the cell
// source analyser (is_complete), and routes the process's output to the
// cell it belongs to.
package gokernel

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"unicode/utf8"

	xr "github.com/cosmos72/gomacro/xreflect"

	"github.com/sockbook/sockbook/tools/jupyter"
	"github.com/sockbook/sockbook/tools/kernel/cellsrc"
	"github.com/sockbook/sockbook/tools/kernel/docs"
	"github.com/sockbook/sockbook/tools/kernel/session"
)

// Implementation is the kernel's name in kernel_info_reply.
const Implementation = "sockbook"

// Version is the kernel's own version.
const Version = "2.0.0"

// An Output receives what cells print and display; a *jupyter.Server is
// one.
type Output interface {
	Stream(stream, text string)
}

// Config configures a Kernel.
type Config struct {
	// Docs answers inspect requests about linked packages; nil leaves
	// them unanswered.
	Docs *docs.Index
	// Render turns a cell's final values into a display bundle (MIME type
	// → data). Nil renders them as text/plain, as fmt.Sprint does.
	Render func(values []any, types []xr.Type) map[string]any
	// Flush waits until what the cell printed has reached the Output;
	// nil when output is not captured.
	Flush func() error
	// SiteURL is the tutorial site, for the Help menu; empty leaves it
	// out.
	SiteURL string
}

// A Kernel serves one session.
type Kernel struct {
	s   *session.Session
	cfg Config
}

// New returns a Kernel that runs cells in s.
func New(s *session.Session, cfg Config) *Kernel {
	if cfg.Render == nil {
		cfg.Render = plainText
	}
	return &Kernel{s: s, cfg: cfg}
}

// plainText renders values as fmt.Sprint does.
func plainText(values []any, _ []xr.Type) map[string]any {
	return map[string]any{"text/plain": fmt.Sprint(values...)}
}

// Info describes the kernel for kernel_info_reply.
func (k *Kernel) Info() jupyter.KernelInfo {
	goVersion := strings.TrimPrefix(runtime.Version(), "go")
	links := []jupyter.HelpLink{
		{Text: "Go standard library", URL: "https://pkg.go.dev/std"},
		{Text: "golang.org/x/sys/unix", URL: "https://pkg.go.dev/golang.org/x/sys/unix"},
		{Text: "gomacro (the interpreter)", URL: "https://github.com/cosmos72/gomacro"},
	}
	if k.cfg.SiteURL != "" {
		links = append([]jupyter.HelpLink{{Text: "sockbook tutorial", URL: k.cfg.SiteURL}}, links...)
	}
	return jupyter.KernelInfo{
		Implementation:        Implementation,
		ImplementationVersion: Version,
		LanguageInfo: jupyter.LanguageInfo{
			Name:              "go",
			Version:           goVersion,
			MIMEType:          "text/x-go",
			FileExtension:     ".go",
			PygmentsLexer:     "go",
			CodeMirrorMode:    "go",
			NBConvertExporter: "script",
		},
		Banner: "sockbook: Go " + goVersion + " in the gomacro interpreter, with sockbook's pkg/ linked in.\n" +
			"Interrupt stops the running cell and keeps every variable; ctx is the cell's context.",
		HelpLinks: links,
	}
}

// Execute runs a cell.
func (k *Kernel) Execute(ctx context.Context, req jupyter.ExecuteRequest, count int) jupyter.ExecuteResult {
	r := k.s.Run(req.Code, count)
	res := k.result(req.Code, r)
	if res.Error == nil && len(req.UserExpressions) > 0 {
		res.UserExpressions = make(map[string]any, len(req.UserExpressions))
		for name, expr := range req.UserExpressions {
			res.UserExpressions[name] = k.userExpression(expr, count)
		}
	}
	k.flush()
	return res
}

// result turns a session result into the reply's parts. A cell whose last
// statement is a call of fmt's print functions shows what it printed, not
// the call's (n, err) results.
func (k *Kernel) result(code string, r session.Result) jupyter.ExecuteResult {
	if r.Err != nil {
		return jupyter.ExecuteResult{Error: jupyterError(r.Err)}
	}
	if len(r.Values) == 0 || cellsrc.EndsInPrintCall(code) {
		return jupyter.ExecuteResult{}
	}
	return jupyter.ExecuteResult{Data: k.cfg.Render(r.Values, r.Types)}
}

// userExpression evaluates one of an execute request's user expressions.
func (k *Kernel) userExpression(expr string, count int) any {
	r := k.s.Run(expr, count)
	if r.Err != nil {
		e := jupyterError(r.Err)
		return map[string]any{"status": "error", "ename": e.EName, "evalue": e.EValue, "traceback": e.Traceback}
	}
	data := map[string]any{"text/plain": ""}
	if len(r.Values) > 0 {
		data = k.cfg.Render(r.Values, r.Types)
	}
	return map[string]any{"status": "ok", "data": data, "metadata": map[string]any{}}
}

// flush waits for the cell's output to be sent.
func (k *Kernel) flush() {
	if k.cfg.Flush != nil {
		k.cfg.Flush()
	}
}

// jupyterError is a session error as Jupyter shows errors.
func jupyterError(e *session.Error) *jupyter.Error {
	return &jupyter.Error{EName: e.Name(), EValue: e.Value(), Traceback: e.Traceback()}
}

// Interrupt stops the running cell.
func (k *Kernel) Interrupt() { k.s.Interrupt() }

// IsComplete says whether code could run as it is.
func (k *Kernel) IsComplete(code string) jupyter.IsCompleteReply {
	status, indent := cellsrc.IsComplete(code)
	return jupyter.IsCompleteReply{Status: status, Indent: indent}
}

// Complete lists completions at cursor, a position in code points.
func (k *Kernel) Complete(code string, cursor int) jupyter.CompleteReply {
	pos := cellsrc.ByteOffset(code, cursor)
	start, matches := k.s.Complete(code, pos)
	if len(matches) == 0 {
		return jupyter.CompleteReply{CursorStart: cursor, CursorEnd: cursor}
	}
	return jupyter.CompleteReply{
		Matches:     matches,
		CursorStart: utf8.RuneCountInString(code[:start]),
		CursorEnd:   cursor,
	}
}
