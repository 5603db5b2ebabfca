package sitegen

import (
	"net/http"
	"os"
	"path"
	"path/filepath"
)

// Handler serves the site built in dir as a static host does: files as
// they are, and 404.html with status 404 for a path that names no file,
// or a folder without an index.html.
func Handler(dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := filepath.Join(dir, filepath.FromSlash(path.Clean("/"+r.URL.Path)))
		if st, err := os.Stat(name); err != nil || (st.IsDir() && !exists(filepath.Join(name, "index.html"))) {
			page, err := os.ReadFile(filepath.Join(dir, "404.html"))
			if err != nil {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write(page)
			return
		}
		files.ServeHTTP(w, r)
	})
}
