package nbrun

import (
	"fmt"

	"github.com/sockbook/sockbook/tools/nbformat"
)

// ForJupyter prepares a copy of nb for a plain Jupyter client such as
// nbclient, which knows the skip-execution tag but not sockbook's
// requirements: cells whose requirements checks (nil: Requirements())
// finds unmet are tagged skip-execution in the copy.
func ForJupyter(nb *nbformat.Notebook, checks map[string]func() string) (*nbformat.Notebook, error) {
	if checks == nil {
		checks = Requirements()
	}
	data, err := nb.Marshal()
	if err != nil {
		return nil, err
	}
	cp, err := nbformat.Parse(data)
	if err != nil {
		return nil, err
	}
	for i, c := range cp.Cells {
		if c.Type != "code" || c.HasTag("skip-execution") {
			continue
		}
		why, _, err := unmet(c.Requires(), checks)
		if err != nil {
			return nil, fmt.Errorf("cell %d: %w", i, err)
		}
		if why != "" {
			tags, _ := c.Metadata["tags"].([]any)
			c.Metadata["tags"] = append(tags, "skip-execution")
		}
	}
	return cp, nil
}

// Compare checks executed, a copy of stored that another client ran
// (nbclient, say), against the outputs stored in stored, cell by cell,
// under stored's sanitizers and the same comparison as Run. Cells tagged
// skip-execution in executed are reported skipped.
func Compare(stored, executed *nbformat.Notebook) ([]CellResult, error) {
	if len(stored.Cells) != len(executed.Cells) {
		return nil, fmt.Errorf("nbrun: compare: %d cells stored, %d executed", len(stored.Cells), len(executed.Cells))
	}
	sanitize, err := Sanitizer(stored)
	if err != nil {
		return nil, err
	}
	var results []CellResult
	recipe := ""
	for i, want := range stored.Cells {
		recipe = section(want, recipe)
		if want.Type != "code" {
			continue
		}
		got := executed.Cells[i]
		res := CellResult{Index: i, ID: want.ID, Recipe: recipe}
		if got.HasTag("skip-execution") {
			res.Status, res.Reason = Skipped, "tagged skip-execution"
			results = append(results, res)
			continue
		}
		if d := unifiedDiff("stored", "executed", sanitize(Render(want.Outputs)), sanitize(Render(got.Outputs))); d != "" {
			res.Status, res.Reason, res.Diff = Failed, "outputs differ", d
		}
		results = append(results, res)
	}
	return results, nil
}
