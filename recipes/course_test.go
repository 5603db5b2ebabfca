package recipes_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sockbook/sockbook/internal/lesson"
	"github.com/sockbook/sockbook/recipes"
	"github.com/stretchr/testify/require"
)

// A lessonFile is a lesson of tutorials/lessons, read by the parser the
// site renders it with.
type lessonFile struct {
	file string // base name, "01-addresses.md"
	lesson.Lesson
}

// readLessons parses every lesson of the course; there must be some.
func readLessons(t *testing.T) []lessonFile {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "tutorials", "lessons", "*.md"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "no lessons in tutorials/lessons")
	var out []lessonFile
	for _, f := range files {
		l, err := lesson.ReadFile(f)
		require.NoError(t, err)
		out = append(out, lessonFile{file: filepath.Base(f), Lesson: *l})
	}
	return out
}

// TestCourse checks the course face: every recipe claimed for it is listed
// by some lesson, every slug a lesson lists exists, and each chapter's
// lesson is named for its chapter.
func TestCourse(t *testing.T) {
	rs, err := recipes.All()
	require.NoError(t, err)
	for _, p := range checkCourse(rs, readLessons(t)) {
		t.Error(p)
	}
}

// checkCourse returns what is wrong with lessons as the course face of rs.
func checkCourse(rs []recipes.Recipe, lessons []lessonFile) []string {
	var problems []string
	chapterOf := map[string]string{}
	for _, r := range rs {
		chapterOf[r.Slug] = r.Chapter
	}
	covered := map[string]bool{}
	for _, l := range lessons {
		if l.Chapter != "" {
			if want := l.Chapter + ".md"; l.file != want {
				problems = append(problems, fmt.Sprintf("%s: lesson of chapter %s must be named %s", l.file, l.Chapter, want))
			}
			if !slices.Contains(recipes.Chapters(rs), l.Chapter) {
				problems = append(problems, fmt.Sprintf("%s: chapter %q is not a chapter of recipes.tsv", l.file, l.Chapter))
			}
		}
		for _, slug := range l.Recipes {
			ch, ok := chapterOf[slug]
			switch {
			case !ok:
				problems = append(problems, fmt.Sprintf("%s: lists recipe %q, which is not in recipes.tsv", l.file, slug))
				continue
			case l.Chapter != "" && ch != l.Chapter:
				problems = append(problems, fmt.Sprintf("%s: lists recipe %s of chapter %s in a lesson of chapter %s", l.file, slug, ch, l.Chapter))
			}
			covered[slug] = true
		}
	}
	for _, r := range rs {
		if r.Claimed[recipes.Course] && !covered[r.Slug] {
			problems = append(problems, fmt.Sprintf("recipe %s is claimed for the course but no tutorials/lessons/*.md lists it in recipes:", r.Slug))
		}
	}
	return problems
}

func TestCheckCourseFindsProblems(t *testing.T) {
	head := tableHeader
	rs, err := recipes.Parse(head +
		"a\t01-x\tA\t-\tpkg/x\t-\t-\t-\tyes\n" +
		"b\t01-x\tB\t-\tpkg/x\t-\t-\t-\tyes\n" +
		"c\t02-y\tC\t-\tpkg/y\t-\t-\t-\t-\n")
	require.NoError(t, err)
	lf := func(file, chapter string, slugs ...string) lessonFile {
		return lessonFile{file: file, Lesson: lesson.Lesson{Chapter: chapter, Recipes: slugs}}
	}
	require.Empty(t, checkCourse(rs, []lessonFile{lf("01-x.md", "01-x", "a", "b"), lf("10-capstone.md", "", "a", "c")}))
	problems := checkCourse(rs, []lessonFile{lf("01-x.md", "01-x", "a", "zzz", "c"), lf("lesson.md", "02-y")})
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
	rs, err := recipes.All()
	require.NoError(t, err)
	chapterOf := map[string]string{}
	for _, r := range rs {
		chapterOf[r.Slug] = r.Chapter
	}
	nb := regexp.MustCompile(`\.\./\.\./notebooks/([0-9a-z-]+)\.ipynb#([a-z0-9-]+)`)
	for _, l := range lessons {
		for _, m := range exerciseLink.FindAllStringSubmatch(l.Body, -1) {
			if _, err := os.Stat(filepath.Join("..", "tutorials", "exercises", m[1], "README.md")); err != nil {
				t.Errorf("%s: links to exercise %s, which has no README.md", l.file, m[1])
			}
		}
		for _, m := range nb.FindAllStringSubmatch(l.Body, -1) {
			if ch, ok := chapterOf[m[2]]; !ok || ch != m[1] {
				t.Errorf("%s: links to %s.ipynb#%s, but %s is not a recipe of chapter %s", l.file, m[1], m[2], m[2], m[1])
			}
		}
	}
}

// TestCourseLessonShape checks what every lesson promises the learner: a
// five-question quiz the site can render, and a checklist.
func TestCourseLessonShape(t *testing.T) {
	lessons := readLessons(t)
	for _, l := range lessons {
		if len(l.Quiz) != 5 {
			t.Errorf("%s: quiz has %d questions, want 5", l.file, len(l.Quiz))
		}
		if !strings.Contains(l.Body, "\n- [ ] ") {
			t.Errorf("%s: no checklist (a \"- [ ] I can ...\" task list)", l.file)
		}
	}
}

// checkQuizzes returns what is wrong with the lessons' quizzes: each
// question must name the recipes it tests ("# recipes:" lines) among its
// lesson's, and every recipe of rs must be tested by some question; in no
// quiz may the right answer be the longest option in more than a third of
// the questions, or the shortest in more than half (either would let a
// learner guess by length); and every wrong answer's explanation must give
// a reason, not only a "No".
func checkQuizzes(rs []recipes.Recipe, lessons []lessonFile) []string {
	var problems []string
	known := map[string]bool{}
	for _, r := range rs {
		known[r.Slug] = true
	}
	tested := map[string]bool{}
	for _, l := range lessons {
		longest, shortest := 0, 0
		for _, q := range l.Quiz {
			at := fmt.Sprintf("%s:%d", l.file, q.Line)
			if len(q.Recipes) == 0 {
				problems = append(problems, fmt.Sprintf("%s: question %q names no recipe (add a \"# recipes: slug\" line)", at, q.Text))
			}
			for _, slug := range q.Recipes {
				switch {
				case !known[slug]:
					problems = append(problems, fmt.Sprintf("%s: question tagged with recipe %q, which is not in recipes.tsv", at, slug))
				case !slices.Contains(l.Recipes, slug):
					problems = append(problems, fmt.Sprintf("%s: question tagged with recipe %s, which the lesson's front matter does not list", at, slug))
				default:
					tested[slug] = true
				}
			}
			right, longer, shorter := 0, 0, 0
			for _, a := range q.Answers {
				if a.Right {
					right = utf8.RuneCountInString(a.Text)
				}
			}
			for _, a := range q.Answers {
				if a.Right {
					continue
				}
				if utf8.RuneCountInString(a.Text) >= right {
					longer++
				}
				if utf8.RuneCountInString(a.Text) <= right {
					shorter++
				}
				if reason := strings.TrimLeft(strings.TrimPrefix(a.Why, "No"), " —-.,;:"); len(reason) < 15 {
					problems = append(problems, fmt.Sprintf("%s: the explanation of wrong answer %q does not say why it is wrong: %q", at, a.Text, a.Why))
				}
			}
			if longer == 0 {
				longest++
			}
			if shorter == 0 {
				shortest++
			}
		}
		if n := len(l.Quiz); n > 0 && longest*3 > n {
			problems = append(problems, fmt.Sprintf("%s: the right answer is the longest option in %d of %d questions (at most a third may be)", l.file, longest, n))
		}
		if n := len(l.Quiz); n > 0 && shortest*2 > n {
			problems = append(problems, fmt.Sprintf("%s: the right answer is the shortest option in %d of %d questions (at most half may be)", l.file, shortest, n))
		}
	}
	for _, r := range rs {
		if r.Claimed[recipes.Course] && !tested[r.Slug] {
			problems = append(problems, fmt.Sprintf("recipe %s is claimed for the course but no quiz question is tagged with it", r.Slug))
		}
	}
	return problems
}

// TestCourseQuizzes checks every lesson's quiz with checkQuizzes.
func TestCourseQuizzes(t *testing.T) {
	rs, err := recipes.All()
	require.NoError(t, err)
	for _, p := range checkQuizzes(rs, readLessons(t)) {
		t.Error(p)
	}
}

func TestCheckQuizzesFindsProblems(t *testing.T) {
	rs, err := recipes.Parse(tableHeader +
		"a\t01-x\tA\t-\tpkg/x\t-\t-\t-\tyes\n" +
		"b\t01-x\tB\t-\tpkg/x\t-\t-\t-\tyes\n")
	require.NoError(t, err)
	q := func(tags []string, right string, wrong ...string) lesson.Question {
		qu := lesson.Question{Text: "Q", Recipes: tags, Answers: []lesson.Answer{{Text: right, Why: "Yes — because it is.", Right: true}}}
		for _, w := range wrong {
			qu.Answers = append(qu.Answers, lesson.Answer{Text: w, Why: "No — it is something else entirely."})
		}
		return qu
	}
	good := lessonFile{file: "01-x.md", Lesson: lesson.Lesson{Chapter: "01-x", Recipes: []string{"a", "b"}, Quiz: []lesson.Question{
		q([]string{"a"}, "mid-length", "short", "the longest one"),
		q([]string{"b"}, "the longest answer", "short", "medium one"),
		q([]string{"a", "b"}, "short", "medium one", "the longest one"),
	}}}
	require.Empty(t, checkQuizzes(rs, []lessonFile{good}))

	bad := good
	bad.Quiz = []lesson.Question{
		q(nil, "the longest answer", "short", "medium one"),
		q([]string{"zzz", "c"}, "the longest answer", "short", "medium one"),
		q([]string{"a"}, "mid-length", "short", "the longest one"),
	}
	bad.Quiz[2].Answers[1].Why = "No."
	joined := strings.Join(checkQuizzes(rs, []lessonFile{bad}), "\n")
	for _, want := range []string{"names no recipe", `recipe "zzz"`, "longest option in 2 of 3", `does not say why it is wrong: "No."`, "recipe b is claimed"} {
		require.Contains(t, joined, want)
	}
	bad.Quiz = []lesson.Question{q([]string{"a", "b"}, "s", "medium one", "long one"), q([]string{"a"}, "s", "medium one", "long one")}
	require.Contains(t, strings.Join(checkQuizzes(rs, []lessonFile{bad}), "\n"), "shortest option in 2 of 2")
}
