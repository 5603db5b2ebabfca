package nbrun

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/sockbook/sockbook/tools/jupyter"
	"github.com/sockbook/sockbook/tools/nbformat"
)

// An Executor runs code in a kernel; *jupyter.Client is one.
type Executor interface {
	Execute(ctx context.Context, code string) (*jupyter.Execution, error)
	Interrupt(ctx context.Context) error
}

// DefaultCellTimeout bounds a cell when Options.CellTimeout is zero.
const DefaultCellTimeout = time.Minute

// Options configure Run.
type Options struct {
	// CellTimeout bounds each cell; a cell that runs longer is interrupted
	// and reported. Zero means DefaultCellTimeout.
	CellTimeout time.Duration

	// Update stores the new outputs in the notebook instead of comparing.
	Update bool

	// Requirements checks what cells may require; nil means
	// Requirements().
	Requirements map[string]func() string
}

// A Status is what happened to one cell.
type Status int

// Cell statuses.
const (
	Passed  Status = iota // ran, and its outputs match (or were stored)
	Failed                // ran and differs, failed unexpectedly, or could not run
	Skipped               // not run: tagged, or a requirement is missing
)

// String returns "passed", "FAILED" or "skipped".
func (s Status) String() string {
	return [...]string{"passed", "FAILED", "skipped"}[s]
}

// A CellResult reports one code cell.
type CellResult struct {
	Index  int    // position among all cells, from 0
	ID     string // nbformat cell id
	Recipe string // slug of the recipe section the cell belongs to, or ""
	Status Status
	Reason string   // why it failed or was skipped
	Diff   string   // unified diff, stored → new, when the outputs differ
	Unmet  []string // requirements this machine lacks, when skipped for them
}

// Name identifies the cell in messages: "cell 7 (tcp-echo)".
func (r CellResult) Name() string {
	if r.Recipe == "" {
		return fmt.Sprintf("cell %d", r.Index)
	}
	return fmt.Sprintf("cell %d (%s)", r.Index, r.Recipe)
}

// Run executes nb's code cells in order through ex and reports each. With
// opts.Update it replaces the outputs of the cells it ran. It stops at the
// first cell that fails to run (an unexpected error, a timeout, a dead
// kernel), as nbclient does, and reports the cells after it as skipped.
// The returned error is for problems with the notebook itself, such as an
// invalid sanitizer.
func Run(ctx context.Context, nb *nbformat.Notebook, ex Executor, opts Options) ([]CellResult, error) {
	sanitize, err := Sanitizer(nb)
	if err != nil {
		return nil, err
	}
	checks := opts.Requirements
	if checks == nil {
		checks = Requirements()
	}
	timeout := opts.CellTimeout
	if timeout <= 0 {
		timeout = DefaultCellTimeout
	}

	var results []CellResult
	recipe, stopped := "", ""
	for i, cell := range nb.Cells {
		recipe = section(cell, recipe)
		if cell.Type != "code" {
			continue
		}
		res := CellResult{Index: i, ID: cell.ID, Recipe: recipe}
		if stopped != "" {
			res.Status, res.Reason = Skipped, stopped
			results = append(results, res)
			continue
		}
		if cell.HasTag("skip-execution") {
			res.Status, res.Reason = Skipped, "tagged skip-execution"
			results = append(results, res)
			continue
		}
		why, missing, err := unmet(cell.Requires(), checks)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", res.Name(), err)
		}
		if why != "" {
			res.Status, res.Reason, res.Unmet = Skipped, "requires "+why, missing
			results = append(results, res)
			continue
		}

		var stop bool
		res, stop = runCell(ctx, ex, cell, res, timeout, sanitize, opts.Update)
		if stop {
			stopped = "not run: " + res.Name() + " failed"
		}
		results = append(results, res)
	}
	return results, nil
}

// runCell runs one cell and compares or stores its outputs. stop reports
// that the cell could not run as intended, so later cells would run on a
// broken state.
func runCell(ctx context.Context, ex Executor, cell *nbformat.Cell, res CellResult, timeout time.Duration,
	sanitize func(string) string, update bool) (_ CellResult, stop bool) {
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	execution, err := ex.Execute(cctx, cell.Source)
	if err != nil {
		res.Status = Failed
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			ictx, icancel := context.WithTimeout(ctx, 10*time.Second)
			ierr := ex.Interrupt(ictx)
			icancel()
			res.Reason = fmt.Sprintf("timed out after %v; interrupted", timeout)
			if ierr != nil {
				res.Reason += fmt.Sprintf(" (interrupt failed: %v)", ierr)
			}
			return res, true
		}
		res.Reason = err.Error()
		return res, true
	}

	if execution.Dropped > 0 {
		// Storing or comparing what is left would be wrong either way.
		res.Status = Failed
		res.Reason = fmt.Sprintf("%d output messages were lost: the cell printed faster than the runner took its output", execution.Dropped)
		return res, false
	}
	outputs := toNotebook(execution)
	failed := execution.Reply.Status == "error" || hasError(outputs)
	wantsError := cell.HasTag("raises-exception")
	switch {
	case failed && !wantsError:
		res.Status = Failed
		res.Reason = "unexpected error: " + errorText(execution, outputs)
		stop = true
	case !failed && wantsError:
		res.Status = Failed
		res.Reason = "tagged raises-exception but ran without error"
	}
	want := sanitize(Render(cell.Outputs))
	got := sanitize(Render(outputs))
	if update {
		// Outputs equal up to the sanitizers are kept as stored, so that
		// updating a current notebook leaves its bytes alone.
		if res.Status == Passed && want != got {
			n := execution.Reply.ExecutionCount
			cell.ExecutionCount = &n
			cell.Outputs = outputs
		}
		return res, stop
	}
	if d := unifiedDiff("stored", "new", want, got); d != "" {
		res.Diff = d
		if res.Status == Passed {
			res.Status = Failed
			res.Reason = "outputs differ"
		}
	}
	return res, stop
}

// section returns the recipe whose section cell belongs to, given the
// recipe of the cells before it: a cell tagged with a recipe starts that
// recipe's section, and any other heading starts a section of no recipe.
func section(cell *nbformat.Cell, current string) string {
	if r := cell.Recipe(); r != "" {
		return r
	}
	if cell.Type == "markdown" && strings.HasPrefix(cell.Source, "#") {
		return ""
	}
	return current
}

// Sanitizer compiles the notebook's {"sockbook": {"sanitizers": [...]}}
// into one function applied to both sides of a comparison.
func Sanitizer(nb *nbformat.Notebook) (func(string) string, error) {
	type rule struct {
		re   *regexp.Regexp
		repl string
	}
	var rules []rule
	sb, _ := nb.Metadata["sockbook"].(map[string]any)
	list, _ := sb["sanitizers"].([]any)
	for i, v := range list {
		m, _ := v.(map[string]any)
		pattern, ok1 := m["pattern"].(string)
		repl, ok2 := m["replace"].(string)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("nbrun: sanitizer %d needs string fields \"pattern\" and \"replace\"", i)
		}
		re, err := regexp.Compile(pattern)
		if err != nil {
			return nil, fmt.Errorf("nbrun: sanitizer %d: %w", i, err)
		}
		rules = append(rules, rule{re, repl})
	}
	return func(s string) string {
		for _, r := range rules {
			s = r.re.ReplaceAllString(s, r.repl)
		}
		return s
	}, nil
}

// toNotebook turns what the kernel published into notebook outputs, the
// way nbclient stores them: consecutive stream messages of the same name
// become one output.
func toNotebook(e *jupyter.Execution) []*nbformat.Output {
	outs := []*nbformat.Output{}
	for _, o := range e.Outputs {
		switch o.Type {
		case "stream":
			if n := len(outs); n > 0 && outs[n-1].Type == "stream" && outs[n-1].Name == o.Name {
				outs[n-1].Text += o.Text
				continue
			}
			outs = append(outs, &nbformat.Output{Type: "stream", Name: o.Name, Text: o.Text})
		case "execute_result":
			n := e.Reply.ExecutionCount
			outs = append(outs, &nbformat.Output{Type: o.Type, Data: o.Data, Metadata: orEmpty(o.Metadata), ExecutionCount: &n})
		case "display_data":
			outs = append(outs, &nbformat.Output{Type: o.Type, Data: o.Data, Metadata: orEmpty(o.Metadata)})
		case "error":
			tb := o.Traceback
			if tb == nil {
				tb = []string{} // gophernotes v0.7.5 sends null for some errors
			}
			outs = append(outs, &nbformat.Output{Type: "error", Ename: o.EName, Evalue: o.EValue, Traceback: tb})
		}
		// update_display_data changes an earlier display by its id; no
		// kernel sockbook uses sends it, so it is not replayed.
	}
	return outs
}

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

func hasError(outs []*nbformat.Output) bool {
	for _, o := range outs {
		if o.Type == "error" {
			return true
		}
	}
	return false
}

func errorText(e *jupyter.Execution, outs []*nbformat.Output) string {
	for _, o := range outs {
		if o.Type == "error" {
			return o.Ename + ": " + o.Evalue
		}
	}
	return e.Reply.EName + ": " + e.Reply.EValue
}

// Render returns the compared parts of outputs as text: the streams by
// name, then results and displays (text/plain and text/html) and errors
// (name and value) in order.
func Render(outs []*nbformat.Output) string {
	var b strings.Builder
	for _, name := range []string{"stdout", "stderr"} {
		var text strings.Builder
		for _, o := range outs {
			if o.Type == "stream" && o.Name == name {
				text.WriteString(o.Text)
			}
		}
		if text.Len() > 0 {
			fmt.Fprintf(&b, "[%s]\n%s", name, text.String())
			if !strings.HasSuffix(text.String(), "\n") {
				b.WriteString("\n")
			}
		}
	}
	for _, o := range outs {
		switch o.Type {
		case "execute_result", "display_data":
			for _, mime := range []string{"text/plain", "text/html"} {
				if s, ok := o.Data[mime].(string); ok {
					fmt.Fprintf(&b, "[%s %s]\n%s\n", o.Type, mime, s)
				}
			}
		case "error":
			fmt.Fprintf(&b, "[error]\n%s: %s\n", o.Ename, o.Evalue)
		}
	}
	return b.String()
}
