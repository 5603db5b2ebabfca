package sitegen

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"strings"
)

// A question of a quiz block.
type question struct {
	Text    string
	Answers []answer
}

type answer struct {
	Text, Why string
	Right     bool
}

// parseQuiz reads the body of a ```quiz block: "? question" lines, then
// "+ right :: why" and "- wrong :: why" lines, questions separated by a
// blank line, exactly one right answer each.
func parseQuiz(body string) ([]question, error) {
	var qs []question
	for i, line := range strings.Split(body, "\n") {
		line = strings.TrimSpace(line)
		n := i + 1
		switch {
		case line == "":
			continue
		case strings.HasPrefix(line, "?"):
			qs = append(qs, question{Text: strings.TrimSpace(line[1:])})
		case strings.HasPrefix(line, "+"), strings.HasPrefix(line, "-"):
			if len(qs) == 0 {
				return nil, fmt.Errorf("quiz line %d: answer %q before any \"?\" question", n, line)
			}
			text, why, ok := strings.Cut(line[1:], "::")
			if !ok {
				return nil, fmt.Errorf("quiz line %d: answer %q has no \" :: explanation\"", n, line)
			}
			q := &qs[len(qs)-1]
			q.Answers = append(q.Answers, answer{Text: strings.TrimSpace(text), Why: strings.TrimSpace(why), Right: line[0] == '+'})
		default:
			return nil, fmt.Errorf("quiz line %d: %q starts with neither \"?\", \"+\" nor \"-\"", n, line)
		}
	}
	if len(qs) == 0 {
		return nil, errors.New("quiz has no questions")
	}
	for _, q := range qs {
		right := 0
		for _, a := range q.Answers {
			if a.Right {
				right++
			}
		}
		if right != 1 {
			return nil, fmt.Errorf("quiz question %q has %d right answers, want exactly one", q.Text, right)
		}
	}
	return qs, nil
}

// renderQuiz renders a quiz as a list of questions whose answers are
// <details> elements: without JavaScript, opening an answer shows whether
// it is right and why; site.js adds colour and keeps one answer open.
func (s *site) renderQuiz(body string) (string, error) {
	qs, err := parseQuiz(body)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(`<section class="quiz" aria-label="Quiz"><ol>`)
	for _, q := range qs {
		fmt.Fprintf(&b, `<li class="quiz-q"><p>%s</p><ul class="quiz-answers">`, s.inline(q.Text))
		for _, a := range q.Answers {
			verdict, class := "Not quite.", "wrong"
			if a.Right {
				verdict, class = "Right.", "right"
			}
			fmt.Fprintf(&b, `<li><details class="quiz-a %s"><summary>%s</summary><p><strong>%s</strong> %s</p></details></li>`,
				class, s.inline(a.Text), verdict, s.inline(a.Why))
		}
		b.WriteString(`</ul></li>`)
	}
	b.WriteString("</ol></section>\n")
	return b.String(), nil
}

// inline renders one line of inline markdown without the paragraph around it.
func (s *site) inline(src string) string {
	var buf bytes.Buffer
	if err := s.md.Convert([]byte(src), &buf); err != nil {
		return html.EscapeString(src)
	}
	out := strings.TrimSpace(buf.String())
	out = strings.TrimPrefix(out, "<p>")
	return strings.TrimSuffix(out, "</p>")
}
