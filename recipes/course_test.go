package recipes

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// A lesson is what the course face declares in a lesson's front matter.
type lesson struct {
	file    string
	title   string
	chapter string
	recipes []string
	minutes int
}

// parseFrontMatter reads the block between the leading "---" lines of a
// lesson: "key: value" lines, where recipes is a [a, b, c] list.
func parseFrontMatter(name, text string) (lesson, error) {
	l := lesson{file: name}
	rest, ok := strings.CutPrefix(text, "---\n")
	if !ok {
		return l, fmt.Errorf("%s: does not start with a --- front matter line", name)
	}
	block, _, ok := strings.Cut(rest, "\n---\n")
	if !ok {
		return l, fmt.Errorf("%s: front matter is not closed by a --- line", name)
	}
	seen := map[string]bool{}
	for i, line := range strings.Split(block, "\n") {
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			return l, fmt.Errorf("%s: front matter line %d %q is not key: value", name, i+2, line)
		}
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		if seen[key] {
			return l, fmt.Errorf("%s: front matter key %q repeated", name, key)
		}
		seen[key] = true
		switch key {
		case "title":
			l.title = value
		case "chapter":
			l.chapter = value
		case "minutes":
			n, err := strconv.Atoi(value)
			if err != nil || n <= 0 {
				return l, fmt.Errorf("%s: minutes %q is not a positive number", name, value)
			}
			l.minutes = n
		case "recipes":
			inner, opened := strings.CutPrefix(value, "[")
			inner, closed := strings.CutSuffix(inner, "]")
			if !opened || !closed {
				return l, fmt.Errorf("%s: recipes %q is not a [a, b] list", name, value)
			}
			for _, s := range strings.Split(inner, ",") {
				if s = strings.TrimSpace(s); s != "" {
					l.recipes = append(l.recipes, s)
				}
			}
		default:
			return l, fmt.Errorf("%s: unknown front matter key %q", name, key)
		}
	}
	for _, k := range []string{"title", "chapter", "recipes", "minutes"} {
		if !seen[k] {
			return l, fmt.Errorf("%s: front matter lacks %q", name, k)
		}
	}
	return l, nil
}

func readLessons(t *testing.T) []lesson {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "tutorials", "lessons", "*.md"))
	require.NoError(t, err)
	var out []lesson
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		l, err := parseFrontMatter(filepath.Base(f), string(b))
		require.NoError(t, err)
		out = append(out, l)
	}
	return out
}

// TestCourse checks the course face: every recipe claimed for it is listed
// by some lesson, every slug a lesson lists exists, and each chapter's
// lesson is named for its chapter.
func TestCourse(t *testing.T) {
	rs, err := All()
	require.NoError(t, err)
	for _, p := range checkCourse(rs, readLessons(t)) {
		t.Error(p)
	}
}

// checkCourse returns what is wrong with lessons as the course face of rs.
func checkCourse(rs []Recipe, lessons []lesson) []string {
	var problems []string
	chapterOf := map[string]string{}
	for _, r := range rs {
		chapterOf[r.Slug] = r.Chapter
	}
	covered := map[string]bool{}
	for _, l := range lessons {
		if l.chapter != "" {
			if want := l.chapter + ".md"; l.file != want {
				problems = append(problems, fmt.Sprintf("%s: lesson of chapter %s must be named %s", l.file, l.chapter, want))
			}
			if !slices.Contains(Chapters(rs), l.chapter) {
				problems = append(problems, fmt.Sprintf("%s: chapter %q is not a chapter of recipes.tsv", l.file, l.chapter))
			}
		}
		for _, slug := range l.recipes {
			ch, ok := chapterOf[slug]
			switch {
			case !ok:
				problems = append(problems, fmt.Sprintf("%s: lists recipe %q, which is not in recipes.tsv", l.file, slug))
				continue
			case l.chapter != "" && ch != l.chapter:
				problems = append(problems, fmt.Sprintf("%s: lists recipe %s of chapter %s in a lesson of chapter %s", l.file, slug, ch, l.chapter))
			}
			covered[slug] = true
		}
	}
	for _, r := range rs {
		if r.Claimed[Course] && !covered[r.Slug] {
			problems = append(problems, fmt.Sprintf("recipe %s is claimed for the course but no tutorials/lessons/*.md lists it in recipes:", r.Slug))
		}
	}
	return problems
}

func TestCheckCourseFindsProblems(t *testing.T) {
	head := strings.Join(header, "\t") + "\n"
	rs, err := Parse(head +
		"a\t01-x\tA\t-\tpkg/x\t-\t-\t-\tyes\n" +
		"b\t01-x\tB\t-\tpkg/x\t-\t-\t-\tyes\n" +
		"c\t02-y\tC\t-\tpkg/y\t-\t-\t-\t-\n")
	require.NoError(t, err)
	require.Empty(t, checkCourse(rs, []lesson{
		{file: "01-x.md", chapter: "01-x", recipes: []string{"a", "b"}},
		{file: "10-capstone.md", recipes: []string{"a", "c"}},
	}))
	problems := checkCourse(rs, []lesson{
		{file: "01-x.md", chapter: "01-x", recipes: []string{"a", "zzz", "c"}},
		{file: "lesson.md", chapter: "02-y"},
	})
	joined := strings.Join(problems, "\n")
	for _, want := range []string{"recipe b is claimed", `"zzz"`, "recipe c of chapter 02-y", "must be named 02-y.md"} {
		require.Contains(t, joined, want)
	}
}

var exerciseLink = regexp.MustCompile(`\]\(\.\./exercises/([0-9]{2}-[a-z0-9-]+)/?\)`)

// TestCourseLinks checks that the exercises and notebook sections lessons
// link to are spelled right: exercise folders must exist, and notebook
// anchors must name a recipe of that notebook's chapter.
func TestCourseLinks(t *testing.T) {
	lessons := readLessons(t)
	if len(lessons) == 0 {
		t.Skip("no lessons yet")
	}
	rs, err := All()
	require.NoError(t, err)
	chapterOf := map[string]string{}
	for _, r := range rs {
		chapterOf[r.Slug] = r.Chapter
	}
	nb := regexp.MustCompile(`\.\./\.\./notebooks/([0-9a-z-]+)\.ipynb#([a-z0-9-]+)`)
	for _, l := range lessons {
		b, err := os.ReadFile(filepath.Join("..", "tutorials", "lessons", l.file))
		require.NoError(t, err)
		for _, m := range exerciseLink.FindAllStringSubmatch(string(b), -1) {
			if _, err := os.Stat(filepath.Join("..", "tutorials", "exercises", m[1], "README.md")); err != nil {
				t.Errorf("%s: links to exercise %s, which has no README.md", l.file, m[1])
			}
		}
		for _, m := range nb.FindAllStringSubmatch(string(b), -1) {
			if ch, ok := chapterOf[m[2]]; !ok || ch != m[1] {
				t.Errorf("%s: links to %s.ipynb#%s, but %s is not a recipe of chapter %s", l.file, m[1], m[2], m[2], m[1])
			}
		}
	}
}

func TestParseFrontMatter(t *testing.T) {
	good := "---\ntitle: T\nchapter: 01-addresses\nrecipes: [a, b-c]\nminutes: 60\n---\n# body\n"
	l, err := parseFrontMatter("x.md", good)
	require.NoError(t, err)
	require.Equal(t, []string{"a", "b-c"}, l.recipes)
	require.Equal(t, 60, l.minutes)
	for name, text := range map[string]string{
		"no front matter": "# title\n",
		"not closed":      "---\ntitle: T\n",
		"no recipes":      "---\ntitle: T\nchapter: x\nminutes: 5\n---\n",
		"bad list":        "---\ntitle: T\nchapter: x\nrecipes: a, b\nminutes: 5\n---\n",
		"half a list":     "---\ntitle: T\nchapter: x\nrecipes: a, b]\nminutes: 5\n---\n",
		"bad minutes":     "---\ntitle: T\nchapter: x\nrecipes: []\nminutes: soon\n---\n",
		"unknown key":     "---\ntitle: T\nchapter: x\nrecipes: []\nminutes: 5\nauthor: me\n---\n",
	} {
		_, err := parseFrontMatter("x.md", text)
		require.Error(t, err, name)
	}
}

// A question is one multiple-choice question of a quiz block.
type question struct {
	text    string
	answers int
	right   int
}

// parseQuizzes reads the ```quiz blocks of a lesson in the course's format:
// "? question", then "+ right :: why" or "- wrong :: why" lines, with a blank
// line between questions.
func parseQuizzes(name, text string) ([]question, error) {
	var qs []question
	in := false
	for i, line := range strings.Split(text, "\n") {
		n := i + 1
		switch {
		case !in && strings.TrimSpace(line) == "```quiz":
			in = true
			continue
		case !in:
			continue
		case strings.TrimSpace(line) == "```":
			in = false
			continue
		case strings.TrimSpace(line) == "":
			continue
		}
		switch {
		case strings.HasPrefix(line, "? "):
			qs = append(qs, question{text: line[2:]})
		case strings.HasPrefix(line, "+ ") || strings.HasPrefix(line, "- "):
			if len(qs) == 0 {
				return nil, fmt.Errorf("%s:%d: answer before any question", name, n)
			}
			answer, why, ok := strings.Cut(line[2:], " :: ")
			if !ok || strings.TrimSpace(answer) == "" || strings.TrimSpace(why) == "" {
				return nil, fmt.Errorf("%s:%d: answer %q needs \"text :: explanation\"", name, n, line)
			}
			q := &qs[len(qs)-1]
			q.answers++
			if line[0] == '+' {
				q.right++
			}
		default:
			return nil, fmt.Errorf("%s:%d: quiz line %q starts with neither ?, + nor -", name, n, line)
		}
	}
	if in {
		return nil, fmt.Errorf("%s: quiz block not closed", name)
	}
	for _, q := range qs {
		if q.right != 1 || q.answers < 2 {
			return nil, fmt.Errorf("%s: question %q has %d answers, %d right; want at least 2, exactly 1 right", name, q.text, q.answers, q.right)
		}
	}
	return qs, nil
}

// TestCourseLessonShape checks what every lesson promises the learner: a
// five-question quiz the site can render, and a checklist.
func TestCourseLessonShape(t *testing.T) {
	lessons := readLessons(t)
	if len(lessons) == 0 {
		t.Skip("no lessons yet")
	}
	for _, l := range lessons {
		b, err := os.ReadFile(filepath.Join("..", "tutorials", "lessons", l.file))
		require.NoError(t, err)
		qs, err := parseQuizzes(l.file, string(b))
		if err != nil {
			t.Error(err)
			continue
		}
		if len(qs) != 5 {
			t.Errorf("%s: quiz has %d questions, want 5", l.file, len(qs))
		}
		if !strings.Contains(string(b), "\n- [ ] ") {
			t.Errorf("%s: no checklist (a \"- [ ] I can ...\" task list)", l.file)
		}
	}
}

func TestParseQuizzes(t *testing.T) {
	good := "x\n```quiz\n? Q1?\n- a :: no\n+ b :: yes\n\n? Q2?\n+ c :: yes\n- d :: no\n```\n"
	qs, err := parseQuizzes("x.md", good)
	require.NoError(t, err)
	require.Len(t, qs, 2)
	for name, text := range map[string]string{
		"two right":  "```quiz\n? Q?\n+ a :: y\n+ b :: y\n```\n",
		"none right": "```quiz\n? Q?\n- a :: n\n- b :: n\n```\n",
		"no why":     "```quiz\n? Q?\n+ a\n- b :: n\n```\n",
		"stray line": "```quiz\n? Q?\n+ a :: y\n- b :: n\nhello\n```\n",
		"not closed": "```quiz\n? Q?\n+ a :: y\n- b :: n\n",
		"orphan":     "```quiz\n+ a :: y\n```\n",
		"one answer": "```quiz\n? Q?\n+ a :: y\n```\n",
	} {
		_, err := parseQuizzes("x.md", text)
		require.Error(t, err, name)
	}
}
