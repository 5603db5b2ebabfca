package live

import (
	"bytes"
	"embed"
	"html"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
)

//go:embed assets
var assets embed.FS

// AssetPrefix is the path of the page script and style that Pages adds.
const AssetPrefix = "/__live/"

// Pages serves the site that site serves, with two changes for the served
// copy only: every HTML page gets the token and the run script in its head,
// and AssetPrefix serves that script and its style. The static build on
// disk is never changed, so it stays a plain static site without run
// controls.
func (s *Server) Pages(site http.Handler) http.Handler {
	sub, _ := fs.Sub(assets, "assets") // the folder is embedded, so Sub cannot fail
	files := http.StripPrefix(AssetPrefix, http.FileServerFS(sub))
	head := []byte(`<meta name="sockbook-token" content="` + html.EscapeString(s.cfg.Token) + `">` +
		`<link rel="stylesheet" href="` + AssetPrefix + `run.css">` +
		`<script src="` + AssetPrefix + `run.js" defer></script>` + "\n</head>")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, AssetPrefix) {
			w.Header().Set("Cache-Control", "no-cache")
			files.ServeHTTP(w, r)
			return
		}
		// Pages are small (the site keeps each under 150 KB), so take the
		// whole response and change it before it goes out.
		rec := &recorder{header: http.Header{}, code: http.StatusOK}
		site.ServeHTTP(rec, r)
		body := rec.body.Bytes()
		if strings.HasPrefix(rec.header.Get("Content-Type"), "text/html") {
			body = bytes.Replace(body, []byte("</head>"), head, 1)
			rec.header.Set("Content-Length", strconv.Itoa(len(body)))
			// The page differs from the file, so the file's validators
			// no longer describe it.
			rec.header.Del("Last-Modified")
			rec.header.Del("ETag")
		}
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.code)
		_, _ = w.Write(body)
	})
}

// A recorder holds a response of the site's file server.
type recorder struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) WriteHeader(code int)        { r.code = code }
func (r *recorder) Write(p []byte) (int, error) { return r.body.Write(p) }
