package sendfile

import (
	"fmt"
	"strings"
)

// A Method is a way to move bytes from a file to a file or socket.
type Method int

// The methods a [Copier] knows. The zero Method is Sendfile.
const (
	// Sendfile calls sendfile(2) in a loop, at most Copier.Chunk bytes per
	// call. Its output may be a file, a pipe or a stream socket.
	Sendfile Method = iota
	// CopyFileRange calls copy_file_range(2) in a loop. It works between
	// regular files only; where the kernel refuses (another file system
	// type, a pipe, no such call) the copy carries on with Sendfile and
	// records why in Stats.Fallback.
	CopyFileRange
	// IOCopy hands the copy to io.Copy and lets the standard library pick
	// its fast path.
	IOCopy
	// ReadWrite reads into a user-space buffer of Copier.Chunk bytes and
	// writes it out: the baseline the others avoid.
	ReadWrite
)

var methodNames = [...]string{
	Sendfile:      "sendfile",
	CopyFileRange: "copy_file_range",
	IOCopy:        "io.Copy",
	ReadWrite:     "read/write",
}

// String returns the method's name as ParseMethod accepts it.
func (m Method) String() string {
	if m < 0 || int(m) >= len(methodNames) {
		return fmt.Sprintf("Method(%d)", int(m))
	}
	return methodNames[m]
}

// ParseMethod returns the Method called name: "sendfile",
// "copy_file_range", "io.Copy" or "read/write".
func ParseMethod(name string) (Method, error) {
	for m, n := range methodNames {
		if n == name {
			return Method(m), nil
		}
	}
	return 0, fmt.Errorf("sendfile: method %q: want one of %s", name, strings.Join(methodNames[:], ", "))
}

// MarshalText returns the Method's name, so that a Method can be a
// command-line flag (flag.TextVar) or a field in a config file.
func (m Method) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText sets m to the Method that text names, as ParseMethod reads
// it.
func (m *Method) UnmarshalText(text []byte) error {
	v, err := ParseMethod(string(text))
	if err != nil {
		return err
	}
	*m = v
	return nil
}
