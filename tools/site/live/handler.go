package live

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// TokenHeader is the request header that carries the server's token.
const TokenHeader = "X-Sockbook-Token"

// Guard refuses, with 421 Misdirected Request, any request whose Host is
// not one of hosts, and passes the rest to next. Wrap the whole site in it,
// not only the kernel paths: a page fetched through a rebinding name would
// hand that site the token.
func Guard(hosts []string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !slices.Contains(hosts, strings.ToLower(r.Host)) {
			http.Error(w, fmt.Sprintf("live: host %q is not served here", r.Host), http.StatusMisdirectedRequest)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// ServeHTTP answers the kernel paths, after checking the request:
//
//	POST /__kernel/sessions                 start a kernel; {"id": …}
//	POST /__kernel/sessions/{id}/execute    {"code": …}; an event stream (see stream.go)
//	POST /__kernel/sessions/{id}/interrupt
//	POST /__kernel/sessions/{id}/restart
//	POST /__kernel/sessions/{id}/ping       {"state": "idle" | "busy" | "dead"}
//	POST /__kernel/sessions/{id}/close
//
// Every request must be a POST with a JSON body no larger than MaxRequest,
// whose Host is one of Hosts, whose Origin is that same host over http, and
// which carries the token in the X-Sockbook-Token header. A page that
// closes sends its close with navigator.sendBeacon, which cannot set
// headers; it may put the token in the body instead ({"token": …}).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := s.check(r); err != nil {
		var he *httpError
		errors.As(err, &he)
		http.Error(w, err.Error(), he.status)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxRequest)
	var body struct {
		Code  string `json:"code"`
		Token string `json:"token"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, fmt.Sprintf("live: request body over %d bytes", s.cfg.MaxRequest), http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "live: request body is not JSON: "+err.Error(), http.StatusBadRequest)
		return
	}
	if !s.tokenOK(r.Header.Get(TokenHeader)) && !s.tokenOK(body.Token) {
		http.Error(w, "live: missing or wrong "+TokenHeader, http.StatusForbidden)
		return
	}

	rest := strings.TrimPrefix(r.URL.Path, Prefix+"sessions")
	if rest == "" {
		ss, err := s.newSession(r.Context())
		switch {
		case errors.Is(err, errTooMany), errors.Is(err, errClosed):
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
		case err != nil:
			http.Error(w, err.Error(), http.StatusInternalServerError)
		default:
			writeJSON(w, map[string]string{"id": ss.id})
		}
		return
	}
	id, action, ok := strings.Cut(strings.TrimPrefix(rest, "/"), "/")
	if !ok || strings.Contains(action, "/") {
		http.NotFound(w, r)
		return
	}
	ss, ok := s.session(id)
	if !ok {
		http.Error(w, fmt.Sprintf("live: no session %q (the server restarted, or the page was idle for over %v)", id, s.cfg.IdleTimeout), http.StatusNotFound)
		return
	}
	switch action {
	case "execute":
		s.execute(w, r, ss, body.Code)
	case "interrupt":
		c, _, _ := ss.current()
		if c == nil {
			http.Error(w, "live: the kernel is not running", http.StatusConflict)
			return
		}
		if err := c.Interrupt(r.Context()); err != nil {
			http.Error(w, "live: interrupt: "+err.Error(), http.StatusBadGateway)
			return
		}
		writeJSON(w, map[string]string{"state": ss.state()})
	case "restart":
		if err := ss.restart(r.Context()); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		writeJSON(w, map[string]string{"state": ss.state()})
	case "ping":
		writeJSON(w, map[string]string{"state": ss.state()})
	case "close":
		if ss := s.drop(id); ss != nil {
			_ = ss.close()
		}
		writeJSON(w, map[string]string{"state": "closed"})
	default:
		http.NotFound(w, r)
	}
}

// check refuses what no page of ours sends.
func (s *Server) check(r *http.Request) error {
	host := strings.ToLower(r.Host)
	if !slices.Contains(s.cfg.Hosts, host) {
		return &httpError{http.StatusMisdirectedRequest, fmt.Sprintf("live: host %q is not served here", r.Host)}
	}
	if r.Method != http.MethodPost {
		return &httpError{http.StatusMethodNotAllowed, "live: " + r.Method + " not allowed; kernel requests are POSTs"}
	}
	// Browsers send Origin with every POST; without it the request is not
	// from a page, and with another it is from someone else's page.
	if o := r.Header.Get("Origin"); o != "http://"+host {
		if o == "" {
			return &httpError{http.StatusForbidden, "live: no Origin header"}
		}
		return &httpError{http.StatusForbidden, fmt.Sprintf("live: origin %q may not run code here", o)}
	}
	if r.ContentLength > s.cfg.MaxRequest {
		return &httpError{http.StatusRequestEntityTooLarge, fmt.Sprintf("live: request body over %d bytes", s.cfg.MaxRequest)}
	}
	return nil
}

func (s *Server) tokenOK(t string) bool {
	return t != "" && subtle.ConstantTimeCompare([]byte(t), []byte(s.cfg.Token)) == 1
}

type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(v)
}
