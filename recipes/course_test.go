package recipes_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"text/tabwriter"
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

// An exercise is one folder of tutorials/exercises.
type exercise struct {
	name    string   // "09-arp-frame"
	readme  string   // its README.md
	recipes []string // the recipes its README links to
}

var (
	difficultyLine = regexp.MustCompile(`(?m)^Difficulty: (easy|medium|hard) \(about [0-9.]+ (minutes|hours?)\)\.$`)
	recipeAnchor   = regexp.MustCompile(`notebooks/([0-9a-z-]+)\.ipynb#([a-z0-9-]+)`)
)

// readExercises reads every exercise folder's README.
func readExercises(t *testing.T) []exercise {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join("..", "tutorials", "exercises", "[0-9][0-9]-*"))
	require.NoError(t, err)
	var out []exercise
	for _, d := range dirs {
		b, err := os.ReadFile(filepath.Join(d, "README.md"))
		if err != nil {
			t.Errorf("exercise %s: %v", filepath.Base(d), err)
			continue
		}
		ex := exercise{name: filepath.Base(d), readme: string(b)}
		for _, m := range recipeAnchor.FindAllStringSubmatch(ex.readme, -1) {
			if !slices.Contains(ex.recipes, m[2]) {
				ex.recipes = append(ex.recipes, m[2])
			}
		}
		out = append(out, ex)
	}
	return out
}

// checkExercises returns what is wrong with the exercises' READMEs: each
// states its difficulty in one form, says how to run its test from the
// repository root, and links only to recipes of its own chapter.
func checkExercises(rs []recipes.Recipe, exs []exercise) []string {
	var problems []string
	chapterOf := map[string]string{}
	for _, r := range rs {
		chapterOf[r.Slug] = r.Chapter
	}
	for _, ex := range exs {
		if n := len(difficultyLine.FindAllString(ex.readme, -1)); n != 1 {
			problems = append(problems, fmt.Sprintf("exercise %s: README has %d \"Difficulty: easy|medium|hard (about N minutes).\" lines, want 1", ex.name, n))
		}
		run := "go -C tutorials/exercises test "
		if !strings.Contains(ex.readme, "\n## How to run the test") || !regexp.MustCompile(`(?m)^`+regexp.QuoteMeta(run)+`.*\./`+regexp.QuoteMeta(ex.name)+`\b`).MatchString(ex.readme) {
			problems = append(problems, fmt.Sprintf("exercise %s: README has no \"## How to run the test\" section with a %q…\"./%s\" command", ex.name, run, ex.name))
		}
		for _, m := range recipeAnchor.FindAllStringSubmatch(ex.readme, -1) {
			if ch, ok := chapterOf[m[2]]; !ok || ch != m[1] {
				problems = append(problems, fmt.Sprintf("exercise %s: links to %s.ipynb#%s, but %s is not a recipe of chapter %s", ex.name, m[1], m[2], m[2], m[1]))
			}
		}
	}
	return problems
}

// minExercises is how many exercises the course promises (issue 17).
const minExercises = 25

// TestCourseExercises checks the exercises' READMEs and prints, for each
// recipe, the exercises and quiz questions that teach it (go test -v);
// a recipe claimed for the course must have at least one of either.
func TestCourseExercises(t *testing.T) {
	rs, err := recipes.All()
	require.NoError(t, err)
	exs := readExercises(t)
	if len(exs) < minExercises {
		t.Errorf("the course has %d exercises, want at least %d", len(exs), minExercises)
	}
	for _, p := range checkExercises(rs, exs) {
		t.Error(p)
	}
	questions := map[string][]string{}
	for _, l := range readLessons(t) {
		for _, q := range l.Quiz {
			for _, slug := range q.Recipes {
				questions[slug] = append(questions[slug], fmt.Sprintf("%s:%d", strings.TrimSuffix(l.file, ".md"), q.Line))
			}
		}
	}
	var sb strings.Builder
	w := tabwriter.NewWriter(&sb, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "slug\texercises\tquiz questions")
	for _, r := range rs {
		var names []string
		for _, ex := range exs {
			if slices.Contains(ex.recipes, r.Slug) {
				names = append(names, ex.name)
			}
		}
		fmt.Fprintf(w, "%s\t%s\t%s\n", r.Slug, orDash(names), orDash(questions[r.Slug]))
		if r.Claimed[recipes.Course] && len(names) == 0 && len(questions[r.Slug]) == 0 {
			t.Errorf("recipe %s is claimed for the course but has neither an exercise nor a quiz question", r.Slug)
		}
	}
	w.Flush()
	t.Logf("%d exercises; each recipe's exercises and quiz questions:\n%s", len(exs), sb.String())
}

func orDash(s []string) string {
	if len(s) == 0 {
		return "-"
	}
	return strings.Join(s, ", ")
}

func TestCheckExercisesFindsProblems(t *testing.T) {
	rs, err := recipes.Parse(tableHeader + "a\t01-x\tA\t-\tpkg/x\t-\t-\t-\tyes\n")
	require.NoError(t, err)
	good := exercise{name: "01-a", readme: "Lesson: x · recipe: [a](../../../notebooks/01-x.ipynb#a)\n\nDifficulty: easy (about 30 minutes).\n\n## How to run the test\n\n```\ngo -C tutorials/exercises test ./01-a   # yours\n```\n"}
	require.Empty(t, checkExercises(rs, []exercise{good}))
	bad := exercise{name: "01-b", readme: "recipe: [a](../../../notebooks/02-y.ipynb#a)\n\nDifficulty: tricky.\n\ncd tutorials/exercises/01-b && go test\n"}
	joined := strings.Join(checkExercises(rs, []exercise{bad}), "\n")
	for _, want := range []string{"0 \"Difficulty", "no \"## How to run the test\"", "not a recipe of chapter 02-y"} {
		require.Contains(t, joined, want)
	}
}
