package sitegen

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// A benchFile is one file of `go test -bench` output in the benchmarks
// folder, shown as a table on the benchmarks page.
type benchFile struct {
	Name    string   // file name without .txt
	Context []string // "goos: linux", "cpu: ...", "pkg: ..."
	Rows    []benchRow
}

type benchRow struct {
	Name, Runs string
	Results    []string // "1234 ns/op", "56 B/op", ...
}

// readBenchmarks parses every *.txt file in dir. A missing folder, or one
// without results, gives no page.
func readBenchmarks(dir string) ([]benchFile, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	var files []benchFile
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		f := benchFile{Name: strings.TrimSuffix(filepath.Base(name), ".txt")}
		for i, line := range strings.Split(string(data), "\n") {
			fields := strings.Fields(line)
			switch {
			case len(fields) == 0:
			case strings.HasPrefix(line, "goos:"), strings.HasPrefix(line, "goarch:"),
				strings.HasPrefix(line, "pkg:"), strings.HasPrefix(line, "cpu:"):
				f.Context = append(f.Context, strings.TrimSpace(line))
			case strings.HasPrefix(fields[0], "Benchmark"):
				if len(fields) < 4 || len(fields)%2 != 0 {
					return nil, fmt.Errorf("%s:%d: %q is not a benchmark result line", name, i+1, line)
				}
				r := benchRow{Name: strings.TrimPrefix(fields[0], "Benchmark"), Runs: fields[1]}
				for j := 2; j+1 < len(fields); j += 2 {
					r.Results = append(r.Results, fields[j]+" "+fields[j+1])
				}
				f.Rows = append(f.Rows, r)
			}
		}
		if len(f.Rows) > 0 {
			files = append(files, f)
		}
	}
	return files, nil
}
