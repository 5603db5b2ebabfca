package sitegen

import (
	"bytes"
	"fmt"
	"html"
	"regexp"
	"strings"

	"github.com/sockbook/sockbook/internal/lesson"
)

// renderQuiz renders a quiz as a list of questions whose answers are
// <details> elements: without JavaScript, opening an answer shows whether
// it is right and why; site.js adds colour and keeps one answer open.
// The block starts on line of the document; errors are the
// *lesson.SyntaxError values of lesson.ParseQuiz, which render completes
// with the document's file and line.
func (s *site) renderQuiz(line int, body string) (string, error) {
	qs, err := lesson.ParseQuiz(line, body)
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

// plainInline renders inline markdown and strips its tags, for titles.
func (s *site) plainInline(src string) string {
	return html.UnescapeString(tagRE.ReplaceAllString(s.inline(src), ""))
}

var tagRE = regexp.MustCompile(`<[^>]*>`)
