package nbformat

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
)

// A Notebook is a Jupyter notebook in format 4.
type Notebook struct {
	Metadata      map[string]any
	Cells         []*Cell
	Nbformat      int // always 4
	NbformatMinor int // 5 and up carry cell ids
}

// A Cell is one code, markdown or raw cell.
type Cell struct {
	ID          string // nbformat 4.5 cell id; empty before 4.5
	Type        string // "code", "markdown" or "raw"
	Metadata    map[string]any
	Source      string
	Attachments map[string]any // markdown and raw cells; nil when absent

	// Code cells only.
	ExecutionCount *int
	Outputs        []*Output
}

// An Output is one output of a code cell.
type Output struct {
	Type string // "stream", "display_data", "execute_result" or "error"

	Name string // stream: "stdout" or "stderr"
	Text string // stream

	// display_data and execute_result: values by MIME type. Text types hold
	// a string; JSON types (application/json, */*+json) any JSON value.
	Data           map[string]any
	Metadata       map[string]any
	ExecutionCount *int // execute_result

	Ename, Evalue string // error
	Traceback     []string
}

// ReadFile reads the notebook at path.
func ReadFile(path string) (*Notebook, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("nbformat: %w", err)
	}
	nb, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return nb, nil
}

// WriteFile writes nb to path in Jupyter's own layout.
func WriteFile(path string, nb *Notebook) error {
	data, err := nb.Marshal()
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("nbformat: %w", err)
	}
	return nil
}

// Parse decodes a notebook. It accepts format 4 only, and says which cell
// or output is malformed.
func Parse(data []byte) (*Notebook, error) {
	v, err := decodeJSON(data)
	if err != nil {
		return nil, fmt.Errorf("nbformat: not JSON: %w", err)
	}
	top, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("nbformat: top level is %s, want an object", kind(v))
	}
	nb := &Notebook{}
	if nb.Nbformat, err = intField(top, "nbformat"); err != nil {
		return nil, err
	}
	if nb.Nbformat != 4 {
		return nil, fmt.Errorf("nbformat: version %d is not supported, only 4", nb.Nbformat)
	}
	if nb.NbformatMinor, err = intField(top, "nbformat_minor"); err != nil {
		return nil, err
	}
	if nb.Metadata, err = objField(top, "metadata", true); err != nil {
		return nil, err
	}
	cells, ok := top["cells"].([]any)
	if !ok {
		return nil, fmt.Errorf("nbformat: \"cells\" is %s, want a list", kind(top["cells"]))
	}
	for i, c := range cells {
		cell, err := parseCell(c)
		if err != nil {
			return nil, fmt.Errorf("nbformat: cell %d: %w", i, err)
		}
		nb.Cells = append(nb.Cells, cell)
	}
	return nb, nil
}

func parseCell(v any) (*Cell, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("is %s, want an object", kind(v))
	}
	c := &Cell{}
	var err error
	if c.Type, err = strField(m, "cell_type"); err != nil {
		return nil, err
	}
	if id, ok := m["id"]; ok {
		if c.ID, ok = id.(string); !ok {
			return nil, fmt.Errorf("\"id\" is %s, want a string", kind(id))
		}
	}
	if c.Metadata, err = objField(m, "metadata", true); err != nil {
		return nil, err
	}
	if c.Source, err = multiline(m, "source"); err != nil {
		return nil, err
	}
	switch c.Type {
	case "markdown", "raw":
		if _, ok := m["attachments"]; ok {
			if c.Attachments, err = objField(m, "attachments", false); err != nil {
				return nil, err
			}
		}
	case "code":
		if c.ExecutionCount, err = optInt(m, "execution_count"); err != nil {
			return nil, err
		}
		outs, ok := m["outputs"].([]any)
		if !ok {
			return nil, fmt.Errorf("\"outputs\" is %s, want a list", kind(m["outputs"]))
		}
		for j, o := range outs {
			out, err := parseOutput(o)
			if err != nil {
				return nil, fmt.Errorf("output %d: %w", j, err)
			}
			c.Outputs = append(c.Outputs, out)
		}
	default:
		return nil, fmt.Errorf("unknown cell_type %q", c.Type)
	}
	return c, nil
}

func parseOutput(v any) (*Output, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("is %s, want an object", kind(v))
	}
	o := &Output{}
	var err error
	if o.Type, err = strField(m, "output_type"); err != nil {
		return nil, err
	}
	switch o.Type {
	case "stream":
		if o.Name, err = strField(m, "name"); err != nil {
			return nil, err
		}
		if o.Text, err = multiline(m, "text"); err != nil {
			return nil, err
		}
	case "display_data", "execute_result":
		if o.Data, err = objField(m, "data", false); err != nil {
			return nil, err
		}
		for mime := range o.Data {
			if isJSONMime(mime) {
				continue
			}
			if o.Data[mime], err = multiline(o.Data, mime); err != nil {
				return nil, fmt.Errorf("data: %w", err)
			}
		}
		if o.Metadata, err = objField(m, "metadata", false); err != nil {
			return nil, err
		}
		if o.Type == "execute_result" {
			if o.ExecutionCount, err = optInt(m, "execution_count"); err != nil {
				return nil, err
			}
		}
	case "error":
		if o.Ename, err = strField(m, "ename"); err != nil {
			return nil, err
		}
		if o.Evalue, err = strField(m, "evalue"); err != nil {
			return nil, err
		}
		tb, ok := m["traceback"].([]any)
		if !ok {
			return nil, fmt.Errorf("\"traceback\" is %s, want a list", kind(m["traceback"]))
		}
		o.Traceback = []string{}
		for _, line := range tb {
			s, ok := line.(string)
			if !ok {
				return nil, fmt.Errorf("\"traceback\" holds %s, want strings", kind(line))
			}
			o.Traceback = append(o.Traceback, s)
		}
	default:
		return nil, fmt.Errorf("unknown output_type %q", o.Type)
	}
	return o, nil
}

// Marshal encodes nb as Jupyter writes it: sorted keys, one-space indent,
// multi-line strings as lists of lines, and a final newline.
func (nb *Notebook) Marshal() ([]byte, error) {
	cells := make([]any, len(nb.Cells))
	for i, c := range nb.Cells {
		cells[i] = c.toJSON()
	}
	top := map[string]any{
		"cells":          cells,
		"metadata":       orEmpty(nb.Metadata),
		"nbformat":       nb.Nbformat,
		"nbformat_minor": nb.NbformatMinor,
	}
	var b strings.Builder
	if err := writeJSON(&b, top, 0); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return []byte(b.String()), nil
}

func (c *Cell) toJSON() map[string]any {
	m := map[string]any{
		"cell_type": c.Type,
		"metadata":  orEmpty(c.Metadata),
		"source":    splitLines(c.Source),
	}
	if c.ID != "" {
		m["id"] = c.ID
	}
	switch c.Type {
	case "code":
		m["execution_count"] = intOrNil(c.ExecutionCount)
		outs := make([]any, len(c.Outputs))
		for i, o := range c.Outputs {
			outs[i] = o.toJSON()
		}
		m["outputs"] = outs
	default:
		if c.Attachments != nil {
			m["attachments"] = c.Attachments
		}
	}
	return m
}

func (o *Output) toJSON() map[string]any {
	m := map[string]any{"output_type": o.Type}
	switch o.Type {
	case "stream":
		m["name"] = o.Name
		m["text"] = splitLines(o.Text)
	case "display_data", "execute_result":
		data := map[string]any{}
		for mime, v := range o.Data {
			if s, ok := v.(string); ok && !isJSONMime(mime) {
				data[mime] = splitLines(s)
			} else {
				data[mime] = v
			}
		}
		m["data"] = data
		m["metadata"] = orEmpty(o.Metadata)
		if o.Type == "execute_result" {
			m["execution_count"] = intOrNil(o.ExecutionCount)
		}
	case "error":
		m["ename"] = o.Ename
		m["evalue"] = o.Evalue
		m["traceback"] = orEmptyStrings(o.Traceback)
	}
	return m
}

// Recipe returns the recipe slug a cell is tagged with in its metadata
// ("sockbook": {"recipe": "<slug>"}), or "".
func (c *Cell) Recipe() string {
	sb, _ := c.Metadata["sockbook"].(map[string]any)
	s, _ := sb["recipe"].(string)
	return s
}

// Requires returns what the machine must offer for the cell to run, from
// its metadata ("sockbook": {"requires": ["root", …]}), or nil.
func (c *Cell) Requires() []string {
	sb, _ := c.Metadata["sockbook"].(map[string]any)
	return stringList(sb["requires"])
}

// Tags returns the cell's Jupyter tags (metadata "tags").
func (c *Cell) Tags() []string { return stringList(c.Metadata["tags"]) }

// stringList returns the string elements of a JSON array, or nil.
func stringList(v any) []string {
	list, _ := v.([]any)
	var out []string
	for _, e := range list {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// HasTag reports whether the cell carries tag.
func (c *Cell) HasTag(tag string) bool { return slices.Contains(c.Tags(), tag) }

// isJSONMime reports whether a MIME type's value is JSON data rather than
// text: nbformat stores those as values and never splits them into lines.
func isJSONMime(mime string) bool {
	return mime == "application/json" || (strings.HasPrefix(mime, "application/") && strings.HasSuffix(mime, "+json"))
}

func multiline(m map[string]any, key string) (string, error) {
	switch v := m[key].(type) {
	case string:
		return v, nil
	case []any:
		var b strings.Builder
		for _, line := range v {
			s, ok := line.(string)
			if !ok {
				return "", fmt.Errorf("%q holds %s, want strings", key, kind(line))
			}
			b.WriteString(s)
		}
		return b.String(), nil
	default:
		return "", fmt.Errorf("%q is %s, want a string or a list of strings", key, kind(v))
	}
}

func strField(m map[string]any, key string) (string, error) {
	s, ok := m[key].(string)
	if !ok {
		return "", fmt.Errorf("%q is %s, want a string", key, kind(m[key]))
	}
	return s, nil
}

func intField(m map[string]any, key string) (int, error) {
	n, ok := m[key].(json.Number)
	if !ok {
		return 0, fmt.Errorf("nbformat: %q is %s, want an integer", key, kind(m[key]))
	}
	i, err := n.Int64()
	if err != nil {
		return 0, fmt.Errorf("nbformat: %q is %s, want an integer", key, n)
	}
	return int(i), nil
}

func optInt(m map[string]any, key string) (*int, error) {
	v, ok := m[key]
	if !ok {
		return nil, fmt.Errorf("%q is missing", key)
	}
	if v == nil {
		return nil, nil
	}
	n, ok := v.(json.Number)
	if !ok {
		return nil, fmt.Errorf("%q is %s, want an integer or null", key, kind(v))
	}
	i, err := n.Int64()
	if err != nil {
		return nil, fmt.Errorf("%q is %s, want an integer", key, n)
	}
	x := int(i)
	return &x, nil
}

func objField(m map[string]any, key string, mayBeMissing bool) (map[string]any, error) {
	v, ok := m[key]
	if !ok && mayBeMissing {
		return map[string]any{}, nil
	}
	o, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%q is %s, want an object", key, kind(v))
	}
	return o, nil
}

func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null or missing"
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	}
	return fmt.Sprintf("a %T", v)
}

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

func orEmptyStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func intOrNil(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}
