package recipes_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

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
