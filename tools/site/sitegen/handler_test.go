package sitegen

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestHandler serves a built site as a static host would: pages as they
// are, the 404 page for what is not there.
func TestHandler(t *testing.T) {
	h := Handler(buildSample(t))
	for path, want := range map[string]int{
		"/":                           http.StatusOK,
		"/chapters/02-tcp.html":       http.StatusOK,
		"/chapters/":                  http.StatusNotFound, // a folder without index.html
		"/chapters/gone/away.html":    http.StatusNotFound,
		"/../../etc/passwd":           http.StatusNotFound,
		"/assets/style.css":           http.StatusOK,
		"/course/exercises/nope.html": http.StatusNotFound,
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://site"+path, nil))
		assert.Equal(t, want, rec.Code, path)
		if want == http.StatusNotFound {
			assert.Contains(t, rec.Body.String(), "Page not found", path)
		}
	}
}
