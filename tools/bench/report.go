package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"
)

// A Report is what one subcommand measured: tables for people, charts for
// the site, and the raw figures for anyone who wants to compute their own.
type Report struct {
	Name    string    `json:"name"`    // the subcommand: echo, sendfile, aes-gcm, decode
	Title   string    `json:"title"`   // the page title
	Command string    `json:"command"` // how to run it again
	Mode    string    `json:"mode"`    // short or full
	Started time.Time `json:"started"`
	Machine Machine   `json:"machine"`
	Notes   []string  `json:"notes"` // what the figures mean, targets, caveats; Markdown
	Tables  []Table   `json:"tables"`
	Charts  []Chart   `json:"charts"`
	Raw     any       `json:"raw"` // the measurements behind the tables
}

// A Table is a titled grid of formatted cells.
type Table struct {
	Title   string     `json:"title"`
	Columns []string   `json:"columns"`
	Rows    [][]string `json:"rows"`
}

// Print writes the tables as aligned text, for the terminal.
func (r *Report) Print(w io.Writer) {
	fmt.Fprintf(w, "== %s (%s mode)\n%s\n", r.Title, r.Mode, r.Machine)
	for _, t := range r.Tables {
		fmt.Fprintf(w, "\n%s\n", t.Title)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, strings.Join(t.Columns, "\t")+"\t")
		for _, row := range t.Rows {
			fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
		}
		tw.Flush()
	}
	fmt.Fprintln(w)
}

// Save writes NAME.md, NAME.json and the charts' SVG files into dir. The
// Markdown refers to the charts by relative path, so the folder can be
// moved or published as it is.
func (r *Report) Save(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("results folder %s: %w", dir, err)
	}
	for _, c := range r.Charts {
		if err := writeFile(filepath.Join(dir, c.File), c.WriteSVG); err != nil {
			return err
		}
	}
	if err := writeFile(filepath.Join(dir, r.Name+".json"), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}); err != nil {
		return err
	}
	return writeFile(filepath.Join(dir, r.Name+".md"), r.writeMarkdown)
}

func (r *Report) writeMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", r.Title)
	fmt.Fprintf(&b, "Measured %s in %s mode on: %s.\n\n", r.Started.UTC().Format("2006-01-02 15:04 MST"), r.Mode, r.Machine)
	if r.Machine.Noisy {
		fmt.Fprintf(&b, "**Noisy run:** the 1-minute load was above %.1f per CPU before or after it, so other work shared the machine; compare figures within this run only.\n\n", NoisyLoad)
	}
	fmt.Fprintf(&b, "Regenerate with `%s`.\n\n", r.Command)
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "%s\n\n", n)
	}
	for _, c := range r.Charts {
		fmt.Fprintf(&b, "![%s](%s)\n\n", c.Title, c.File)
	}
	for _, t := range r.Tables {
		fmt.Fprintf(&b, "## %s\n\n", t.Title)
		fmt.Fprintf(&b, "| %s |\n", strings.Join(t.Columns, " | "))
		fmt.Fprintf(&b, "|%s\n", strings.Repeat(" ---: |", len(t.Columns)))
		for _, row := range t.Rows {
			fmt.Fprintf(&b, "| %s |\n", strings.Join(row, " | "))
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// renderCharts redraws the SVG charts of every NAME.json in dir from the
// charts it records, writing each beside it, and names each file written
// on out.
func renderCharts(dir string, out io.Writer) error {
	if dir == "" {
		return errors.New("render: -out names no results folder")
	}
	reports, err := loadReports(dir)
	if err != nil {
		return err
	}
	for _, r := range reports {
		for _, c := range r.Charts {
			path := filepath.Join(dir, c.File)
			if err := writeFile(path, c.WriteSVG); err != nil {
				return fmt.Errorf("%s: %w", r.Name, err)
			}
			fmt.Fprintf(out, "wrote %s\n", path)
		}
	}
	return nil
}

// loadReports reads every NAME.json of dir, in name order.
func loadReports(dir string) ([]Report, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("results folder %s: no JSON results", dir)
	}
	var reports []Report
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		var r Report
		if err := json.Unmarshal(data, &r); err != nil {
			return nil, fmt.Errorf("results %s: %w", p, err)
		}
		reports = append(reports, r)
	}
	return reports, nil
}

// writeFile creates path and fills it with write, reporting the path on
// any failure, including the close that commits the data.
func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
