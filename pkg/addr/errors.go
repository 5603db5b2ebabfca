package addr

import "fmt"

// A ParseError reports text that is not an address of the kind wanted.
type ParseError struct {
	Func  string // what was parsing: "inet_aton", "getaddrinfo", "MAC address"
	Input string // the text as given
	Msg   string // what is wrong with it
	Err   error  // the underlying error, if any
}

// Error returns the error as `addr: <func> "<input>": <msg>`.
func (e *ParseError) Error() string {
	return fmt.Sprintf("addr: %s %q: %s", e.Func, e.Input, e.Msg)
}

// Unwrap returns the underlying error, or nil.
func (e *ParseError) Unwrap() error { return e.Err }
