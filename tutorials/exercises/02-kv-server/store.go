// Package kvserver is a key-value service with a line protocol, served by
// socketserver.Server, the Go counterpart of Python's ThreadingTCPServer.
package kvserver

import "sync"

// MaxLine is the longest command line, in bytes, without its line end.
const MaxLine = 1024

// Handler serves the line protocol on one connection, over Store.
type Handler struct {
	Store *Store
}

// A Store is a map of strings that many connections may use at once. It is
// given: the exercise is the handler in front of it.
type Store struct {
	mu sync.Mutex
	m  map[string]string
}

// NewStore returns an empty store.
func NewStore() *Store { return &Store{m: map[string]string{}} }

// Get returns the value of key and whether it is set.
func (s *Store) Get(key string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[key]
	return v, ok
}

// Set sets key to value.
func (s *Store) Set(key, value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[key] = value
}

// Delete removes key and reports whether it was set.
func (s *Store) Delete(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.m[key]
	delete(s.m, key)
	return ok
}
