package lesson

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const head = "---\ntitle: T\nchapter: 01-addresses\nrecipes: [a, b-c]\nminutes: 60\n---\n"

func TestParse(t *testing.T) {
	src := head + "# Body\n\ntext\n\n```quiz\n? Q1?\n- a :: no\n+ b :: yes\n\n? Q2?\n+ `c` :: yes\n- d :: no\n```\n\n```go\n? not a quiz\n```\n"
	l, err := Parse("x.md", []byte(src))
	require.NoError(t, err)
	assert.Equal(t, "T", l.Title)
	assert.Equal(t, "01-addresses", l.Chapter)
	assert.Equal(t, []string{"a", "b-c"}, l.Recipes)
	assert.Equal(t, 60, l.Minutes)
	assert.Equal(t, 7, l.BodyLine)
	assert.True(t, len(l.Body) > 0 && l.Body[:6] == "# Body")
	require.Len(t, l.Quiz, 2)
	assert.Equal(t, Question{Text: "Q1?", Line: 12, Answers: []Answer{{Text: "a", Why: "no"}, {Text: "b", Why: "yes", Right: true}}}, l.Quiz[0])
	assert.Equal(t, 16, l.Quiz[1].Line)

	quoted := "---\r\ntitle: \"A: b\"\r\n# a comment\r\n\r\nchapter:\r\nrecipes: []\r\nminutes: 5\r\n---\r\nbody\r\n"
	l, err = Parse("y.md", []byte(quoted))
	require.NoError(t, err)
	assert.Equal(t, "A: b", l.Title)
	assert.Empty(t, l.Chapter)
	assert.Empty(t, l.Recipes)
}

// TestParseRejects checks that each malformed lesson is refused with an
// error naming the file and the line at fault.
func TestParseRejects(t *testing.T) {
	quiz := func(q string) string { return head + "text\n\n```quiz\n" + q + "```\n" }
	for name, tc := range map[string]struct {
		src  string
		line int
		want string
	}{
		"no front matter": {"# title\n", 1, "no front matter"},
		"not closed":      {"---\ntitle: T\n", 3, "not closed"},
		"no recipes":      {"---\ntitle: T\nchapter: x\nminutes: 5\n---\n", 5, "front matter has no recipes"},
		"empty title":     {"---\ntitle:\nchapter: x\nrecipes: []\nminutes: 5\n---\n", 2, "title is empty"},
		"not key: value":  {"---\ntitle: T\njust words\n---\n", 3, `"just words" is not "key: value"`},
		"bad list":        {"---\ntitle: T\nchapter: x\nrecipes: a, b\nminutes: 5\n---\n", 4, "is not a [a, b, c] list"},
		"half a list":     {"---\ntitle: T\nchapter: x\nrecipes: a, b]\nminutes: 5\n---\n", 4, "is not a [a, b, c] list"},
		"empty item":      {"---\ntitle: T\nchapter: x\nrecipes: [a,,b]\nminutes: 5\n---\n", 4, "item 2 is empty"},
		"bad minutes":     {"---\ntitle: T\nchapter: x\nrecipes: []\nminutes: soon\n---\n", 5, `minutes "soon"`},
		"zero minutes":    {"---\ntitle: T\nchapter: x\nrecipes: []\nminutes: 0\n---\n", 5, `minutes "0"`},
		"unknown key":     {"---\ntitle: T\nchapter: x\nrecipes: []\nminutes: 5\nauthor: me\n---\n", 6, `unknown front matter key "author"`},
		"repeated key":    {"---\ntitle: T\ntitle: U\n---\n", 3, `"title" repeats line 2`},
		"two right":       {quiz("? Q?\n+ a :: y\n+ b :: y\n"), 10, "2 of them right"},
		"none right":      {quiz("? Q?\n- a :: n\n- b :: n\n"), 10, "0 of them right"},
		"one answer":      {quiz("? Q?\n+ a :: y\n"), 10, "has 1 answers"},
		"no why":          {quiz("? Q?\n+ a\n- b :: n\n"), 11, `"+ a" is not "answer :: explanation"`},
		"empty why":       {quiz("? Q?\n+ a ::\n- b :: n\n"), 11, "is not \"answer :: explanation\""},
		"stray line":      {quiz("? Q?\n+ a :: y\n- b :: n\nhello\n"), 13, `"hello" starts with neither`},
		"orphan answer":   {quiz("+ a :: y\n"), 10, "before any"},
		"empty quiz":      {quiz(""), 9, "no questions"}, // the fence line
		"second block":    {quiz("? Q?\n+ a :: y\n- b :: n\n") + "\n```quiz\n? R?\n+ a :: y\n```\n", 16, `"R?" has 1 answers`},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Parse("lessons/x.md", []byte(tc.src))
			require.Error(t, err)
			var se *SyntaxError
			require.True(t, errors.As(err, &se), "%v is not a *SyntaxError", err)
			assert.Equal(t, "lessons/x.md", se.File)
			assert.Equal(t, tc.line, se.Line, "%v", err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestParseQuizWithoutFile(t *testing.T) {
	_, err := ParseQuiz(4, "? Q\n+ a :: b\n")
	assert.EqualError(t, err, `line 4: quiz question "Q" has 1 answers, 1 of them right: want at least two, exactly one right`)
}

func TestParseQuizIPv6Answer(t *testing.T) {
	qs, err := ParseQuiz(1, "? Q\n+ `::1` :: the loopback\n- `::ffff:1.2.3.4` :: mapped\n")
	require.NoError(t, err)
	assert.Equal(t, "`::1`", qs[0].Answers[0].Text)
	assert.Equal(t, "the loopback", qs[0].Answers[0].Why)
	assert.Equal(t, "`::ffff:1.2.3.4`", qs[0].Answers[1].Text)
}

func TestParseQuizRecipes(t *testing.T) {
	qs, err := ParseQuiz(1, "? Q1\n# recipes: a, b-c\n+ x :: y\n- z :: w\n\n? Q2\n+ x :: y\n- z :: w\n")
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b-c"}, qs[0].Recipes)
	assert.Nil(t, qs[1].Recipes)
	for src, msg := range map[string]string{
		"# recipes: a\n? Q\n+ x :: y\n- z :: w\n":               `line 1: quiz line "# recipes: a" comes before any "?" question`,
		"? Q\n# recipes: a\n# recipes: b\n+ x :: y\n- z :: w\n": `line 3: quiz question "Q" has a second "# recipes:" line`,
		"? Q\n# recipes: a,,b\n+ x :: y\n- z :: w\n":            `line 2: quiz line "# recipes: a,,b": an empty recipe slug`,
		"? Q\n# tags: a\n+ x :: y\n- z :: w\n":                  `line 2: quiz line "# tags: a": the only "#" line is "# recipes: slug, slug"`,
	} {
		_, err := ParseQuiz(1, src)
		assert.EqualError(t, err, msg, src)
	}
}

// TestCourseLessons parses every lesson of the course, so a lesson the
// site and the course test would refuse fails here first.
func TestCourseLessons(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "tutorials", "lessons", "*.md"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		_, err := ReadFile(f)
		assert.NoError(t, err)
	}
}
