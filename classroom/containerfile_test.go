package classroom

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// An instruction is one Containerfile step: its keyword, upper-cased, and
// its arguments with line continuations joined.
type instruction struct {
	line    int // where it starts, from 1
	keyword string
	args    string
}

// parseContainerfile reads the instructions of the Containerfile at path,
// dropping comments and joining lines that end in a backslash.
func parseContainerfile(path string) ([]instruction, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var (
		steps []instruction
		cur   strings.Builder
		start int
	)
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "#") || (line == "" && cur.Len() == 0) {
			continue
		}
		if cur.Len() == 0 {
			start = n
		}
		if cont, ok := strings.CutSuffix(line, `\`); ok {
			cur.WriteString(cont + " ")
			continue
		}
		cur.WriteString(line)
		keyword, args, _ := strings.Cut(strings.TrimSpace(cur.String()), " ")
		steps = append(steps, instruction{start, strings.ToUpper(keyword), strings.Join(strings.Fields(args), " ")})
		cur.Reset()
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if cur.Len() != 0 {
		return nil, fmt.Errorf("%s:%d: the last instruction ends in a line continuation", path, start)
	}
	return steps, nil
}

// copySources splits a COPY's arguments into its sources and destination,
// refusing the forms this test does not reproduce (--from, JSON arrays).
func copySources(args string) (srcs []string, dst string, err error) {
	fields := strings.Fields(args)
	for len(fields) > 0 && strings.HasPrefix(fields[0], "--") {
		if !strings.HasPrefix(fields[0], "--chown=") && !strings.HasPrefix(fields[0], "--chmod=") {
			return nil, "", fmt.Errorf("COPY %s: option %s is not reproduced by this test", args, fields[0])
		}
		fields = fields[1:]
	}
	if len(fields) < 2 || strings.HasPrefix(fields[0], "[") {
		return nil, "", fmt.Errorf("COPY %s: want SRC... DST", args)
	}
	return fields[:len(fields)-1], fields[len(fields)-1], nil
}
