// Package lesson reads the course's lesson files (tutorials/lessons/*.md):
// the front matter that says what a lesson covers, and the quiz blocks the
// site renders. The course test (recipes) and the site generator
// (tools/site/sitegen) both read lessons through it, so a file one accepts
// the other accepts too.
//
// A lesson starts with front matter between two "---" lines, one
// "key: value" per line, with exactly these four keys:
//
//	---
//	title: Addresses and byte order
//	chapter: 01-addresses
//	recipes: [hostname, getaddrinfo]
//	minutes: 60
//	---
//
// chapter may be empty (a lesson that spans chapters), recipes is a
// [a, b, c] list of slugs, possibly empty, and minutes a positive whole
// number. Blank lines and "#" comments are allowed; a value may be quoted.
//
// A quiz is a fenced code block of language "quiz" in the markdown body
// (see ParseQuiz).
package lesson

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// A Lesson is one parsed lesson file.
type Lesson struct {
	Title   string
	Chapter string   // "" for a lesson that belongs to no one chapter
	Recipes []string // slugs of recipes.tsv the lesson teaches
	Minutes int

	Body     string     // the markdown after the front matter
	BodyLine int        // the line of the file Body starts on
	Quiz     []Question // the questions of every quiz block, in order
}

// A Question is one multiple-choice question of a quiz block.
type Question struct {
	Text    string
	Line    int      // where its "?" line is
	Recipes []string // slugs of the recipes it tests, from its "# recipes:" line
	Answers []Answer
}

// An Answer is one choice of a question, with why it is right or wrong.
type Answer struct {
	Text, Why string
	Right     bool
}

// A SyntaxError says where a lesson or quiz is malformed.
type SyntaxError struct {
	File string // "" when the caller did not name the input
	Line int
	Msg  string
}

func (e *SyntaxError) Error() string {
	if e.File == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// ReadFile reads and parses the lesson in file.
func ReadFile(file string) (*Lesson, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("lesson: %w", err)
	}
	return Parse(file, data)
}

// keys are the front matter keys, every one required.
var keys = []string{"title", "chapter", "recipes", "minutes"}

// Parse parses src, the text of the lesson file named file (used in
// errors), checking its front matter and every quiz block of its body.
func Parse(file string, src []byte) (*Lesson, error) {
	fail := func(line int, format string, args ...any) error {
		return &SyntaxError{File: file, Line: line, Msg: fmt.Sprintf(format, args...)}
	}
	lines := strings.Split(strings.ReplaceAll(string(src), "\r\n", "\n"), "\n")
	if lines[0] != "---" {
		return nil, fail(1, `no front matter: the file must start with a "---" line`)
	}
	l := &Lesson{}
	seen := map[string]int{}
	end := 0
	for i := 1; i < len(lines) && end == 0; i++ {
		n, line := i+1, lines[i]
		trimmed := strings.TrimSpace(line)
		switch {
		case line == "---":
			end = i
			continue
		case trimmed == "" || strings.HasPrefix(trimmed, "#"):
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fail(n, "front matter line %q is not \"key: value\"", line)
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if prev, ok := seen[k]; ok {
			return nil, fail(n, "front matter key %q repeats line %d", k, prev)
		}
		seen[k] = n
		var err error
		switch k {
		case "title":
			l.Title = unquote(v)
		case "chapter":
			l.Chapter = unquote(v)
		case "minutes":
			if l.Minutes, err = strconv.Atoi(v); err != nil || l.Minutes <= 0 {
				return nil, fail(n, "front matter minutes %q is not a positive whole number", v)
			}
		case "recipes":
			if l.Recipes, err = parseList(v); err != nil {
				return nil, fail(n, "front matter recipes: %v", err)
			}
		default:
			return nil, fail(n, "unknown front matter key %q (want %s)", k, strings.Join(keys, ", "))
		}
	}
	if end == 0 {
		return nil, fail(len(lines), `front matter is not closed by a "---" line`)
	}
	for _, k := range keys {
		if _, ok := seen[k]; !ok {
			return nil, fail(end+1, "front matter has no %s", k)
		}
	}
	if l.Title == "" {
		return nil, fail(seen["title"], "front matter title is empty")
	}
	l.Body = strings.Join(lines[end+1:], "\n")
	l.BodyLine = end + 2
	var err error
	if l.Quiz, err = quizzes(l.Body, l.BodyLine-1); err != nil {
		var se *SyntaxError
		if errors.As(err, &se) {
			se.File = file
		}
		return nil, err
	}
	return l, nil
}

// parseList reads a flow list such as "[hostname, byte-order]".
func parseList(v string) ([]string, error) {
	inner, opened := strings.CutPrefix(v, "[")
	inner, closed := strings.CutSuffix(inner, "]")
	if !opened || !closed {
		return nil, fmt.Errorf("%q is not a [a, b, c] list", v)
	}
	if strings.TrimSpace(inner) == "" {
		return nil, nil
	}
	var out []string
	for i, item := range strings.Split(inner, ",") {
		item = unquote(strings.TrimSpace(item))
		if item == "" {
			return nil, fmt.Errorf("%q: item %d is empty", v, i+1)
		}
		out = append(out, item)
	}
	return out, nil
}

func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		return v[1 : len(v)-1]
	}
	return v
}

// quizzes parses every quiz block of the markdown body, whose first line
// is line offset+1 of its file. The blocks are found by goldmark's parser,
// the one the site renders them with, so both see the same blocks.
func quizzes(body string, offset int) ([]Question, error) {
	src := []byte(body)
	root := goldmark.DefaultParser().Parse(text.NewReader(src))
	var qs []Question
	err := ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		fc, ok := n.(*ast.FencedCodeBlock)
		if !entering || !ok || string(fc.Language(src)) != "quiz" {
			return ast.WalkContinue, nil
		}
		start, code := Block(src, fc)
		found, err := ParseQuiz(offset+start, code)
		qs = append(qs, found...)
		return ast.WalkContinue, err
	})
	return qs, err
}

// Block returns the text of fenced block n of src and the line of src
// (from 1) that text starts on.
func Block(src []byte, n *ast.FencedCodeBlock) (line int, code string) {
	var b strings.Builder
	lines := n.Lines()
	for i := range lines.Len() {
		seg := lines.At(i)
		b.Write(seg.Value(src))
	}
	at := 0
	if lines.Len() > 0 {
		at = lines.At(0).Start
	} else if n.Info != nil {
		at = n.Info.Segment.Stop
	}
	return strings.Count(string(src[:at]), "\n") + 1, b.String()
}

// ParseQuiz parses the text of a quiz block that starts on line first of
// its file: "? question" lines, each followed by its answers, "+ right
// answer :: why it is right" (exactly one) and "- wrong answer :: why it
// is wrong" (at least one), the " :: " separated by spaces, with blank lines between questions. A question
// may carry one "# recipes: slug, slug" line, anywhere among its answers,
// naming the recipes it tests; the site does not show it. Errors are
// *SyntaxError values without a File.
func ParseQuiz(first int, body string) ([]Question, error) {
	fail := func(line int, format string, args ...any) error {
		return &SyntaxError{Line: line, Msg: fmt.Sprintf(format, args...)}
	}
	var qs []Question
	for i, line := range strings.Split(strings.TrimSuffix(body, "\n"), "\n") {
		n := first + i
		line = strings.TrimSpace(line)
		switch {
		case line == "":
			continue
		case strings.HasPrefix(line, "#"):
			tags, ok := strings.CutPrefix(strings.TrimSpace(line[1:]), "recipes:")
			if !ok {
				return nil, fail(n, "quiz line %q: the only \"#\" line is \"# recipes: slug, slug\"", line)
			}
			if len(qs) == 0 {
				return nil, fail(n, "quiz line %q comes before any \"?\" question", line)
			}
			q := &qs[len(qs)-1]
			if q.Recipes != nil {
				return nil, fail(n, "quiz question %q has a second \"# recipes:\" line", q.Text)
			}
			for _, slug := range strings.Split(tags, ",") {
				if slug = strings.TrimSpace(slug); slug == "" {
					return nil, fail(n, "quiz line %q: an empty recipe slug", line)
				}
				q.Recipes = append(q.Recipes, slug)
			}
		case strings.HasPrefix(line, "?"):
			text := strings.TrimSpace(line[1:])
			if text == "" {
				return nil, fail(n, "quiz question is empty")
			}
			qs = append(qs, Question{Text: text, Line: n})
		case strings.HasPrefix(line, "+"), strings.HasPrefix(line, "-"):
			if len(qs) == 0 {
				return nil, fail(n, "quiz answer %q comes before any \"?\" question", line)
			}
			// The separator is " :: " with its spaces, so that an answer
			// may hold an IPv6 address such as ::1.
			text, why, ok := strings.Cut(line[1:]+" ", " :: ")
			text, why = strings.TrimSpace(text), strings.TrimSpace(why)
			if !ok || text == "" || why == "" {
				return nil, fail(n, "quiz answer %q is not \"answer :: explanation\"", line)
			}
			q := &qs[len(qs)-1]
			q.Answers = append(q.Answers, Answer{Text: text, Why: why, Right: line[0] == '+'})
		default:
			return nil, fail(n, "quiz line %q starts with neither \"?\", \"+\", \"-\" nor \"#\"", line)
		}
	}
	if len(qs) == 0 {
		return nil, fail(first, "quiz has no questions")
	}
	for _, q := range qs {
		right := 0
		for _, a := range q.Answers {
			if a.Right {
				right++
			}
		}
		if right != 1 || len(q.Answers) < 2 {
			return nil, fail(q.Line, "quiz question %q has %d answers, %d of them right: want at least two, exactly one right", q.Text, len(q.Answers), right)
		}
	}
	return qs, nil
}
