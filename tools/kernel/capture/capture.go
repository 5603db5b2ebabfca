// Package capture collects what a process writes to its standard output and
// standard error and hands it, stream by stream, to a callback: the way the
// sockbook kernel turns a cell's prints into Jupyter stream messages.
//
// A Capture takes over either the file descriptors 1 and 2 (so that
// compiled code, the builtin println and child processes are captured too)
// or only the os.Stdout and os.Stderr variables (enough for code that
// prints through them, and safe inside a test binary). Flush is a barrier:
// when it returns, everything written before the call has reached the
// callback. That is what lets a kernel send a cell's last line before the
// cell's reply, and attribute later output to whatever runs next.
package capture

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sync"
	"unicode/utf8"
)

// Mode says what a Capture takes over.
type Mode int

const (
	// Descriptors redirects file descriptors 1 and 2 into pipes.
	Descriptors Mode = iota
	// Variables replaces only the os.Stdout and os.Stderr variables.
	Variables
)

// Stream names, as Jupyter spells them.
const (
	Stdout = "stdout"
	Stderr = "stderr"
)

// readSize is the most a single callback receives: output is passed on in
// the chunks the pipe delivers, so a flood of small writes becomes a few
// large messages.
const readSize = 64 << 10

// A Capture routes the process's output to a callback until Close.
type Capture struct {
	mode     Mode
	marker   []byte
	streams  [2]*stream
	original [2]*os.File // what fd 1 and 2 (or the variables) were before
	flushMu  sync.Mutex  // one Flush at a time: each waits for its own marker
	closed   bool
}

// stream is one captured output: the pipe and the goroutine that reads it.
type stream struct {
	name   string
	w      *os.File // where the process writes
	r      *os.File
	marker []byte
	emit   func(stream, text string)
	seen   chan struct{} // one value per flush marker read
	done   chan struct{} // closed when the reader has ended
}

// Start begins capturing. emit is called from the capture's own goroutines,
// one per stream, with text in the order it was written to that stream;
// it must not write to the captured streams itself.
func Start(mode Mode, emit func(stream, text string)) (*Capture, error) {
	nonce := make([]byte, 12)
	rand.Read(nonce)
	c := &Capture{mode: mode, marker: []byte("\x00sockbook-flush-" + hex.EncodeToString(nonce) + "\x00")}
	for i, name := range []string{Stdout, Stderr} {
		s, err := c.open(i+1, name, emit)
		if err != nil {
			c.Close()
			return nil, err
		}
		c.streams[i] = s
	}
	return c, nil
}

// open redirects fd (1 or 2) into a new pipe and starts its reader.
func (c *Capture) open(fd int, name string, emit func(stream, text string)) (*stream, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("capture %s: %w", name, err)
	}
	s := &stream{name: name, w: w, r: r, marker: c.marker, emit: emit, seen: make(chan struct{}, 1), done: make(chan struct{})}
	switch c.mode {
	case Descriptors:
		saved, err := dupFD(fd)
		if err != nil {
			r.Close()
			w.Close()
			return nil, fmt.Errorf("capture %s: save fd %d: %w", name, fd, err)
		}
		if err := redirectFD(int(w.Fd()), fd); err != nil {
			saved.Close()
			r.Close()
			w.Close()
			return nil, fmt.Errorf("capture %s: redirect fd %d: %w", name, fd, err)
		}
		c.original[fd-1] = saved
		if fd == 2 {
			// A crash report must still reach the real stderr, where
			// Jupyter logs it, rather than die in the pipe.
			debug.SetCrashOutput(saved, debug.CrashOptions{})
		}
		// fd now refers to the pipe; the process writes through it.
		// os.Stdout and os.Stderr name fds 1 and 2 for good; a file of
		// our own for them would close them when collected.
		s.w = os.Stdout
		if fd == 2 {
			s.w = os.Stderr
		}
		w.Close()
	case Variables:
		if fd == 1 {
			c.original[0], os.Stdout = os.Stdout, w
		} else {
			c.original[1], os.Stderr = os.Stderr, w
		}
	}
	go s.read()
	return s, nil
}

// Original returns the process's standard error as it was before Start:
// where a kernel writes its own log.
func (c *Capture) Original() *os.File { return c.original[1] }

// Flush waits until everything written to both streams before it was called
// has been passed to emit.
func (c *Capture) Flush() error {
	c.flushMu.Lock()
	defer c.flushMu.Unlock()
	if c.closed {
		return errors.New("capture: flush after close")
	}
	for _, s := range c.streams {
		// A write of at most PIPE_BUF bytes is atomic: the marker arrives
		// whole, after every byte written before it.
		if _, err := s.w.Write(c.marker); err != nil {
			return fmt.Errorf("capture: flush %s: %w", s.name, err)
		}
	}
	for _, s := range c.streams {
		select {
		case <-s.seen:
		case <-s.done:
			return fmt.Errorf("capture: %s reader ended", s.name)
		}
	}
	return nil
}

// Close stops capturing: it restores the descriptors or variables, passes
// on what is still buffered and waits for the readers to end.
func (c *Capture) Close() error {
	c.flushMu.Lock()
	defer c.flushMu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	var errs []error
	for i, s := range c.streams {
		if s == nil {
			continue
		}
		fd := i + 1
		switch c.mode {
		case Descriptors:
			if saved := c.original[i]; saved != nil {
				// Pointing fd back at the original drops the pipe's
				// last write end, so the reader sees EOF.
				if err := redirectFD(int(saved.Fd()), fd); err != nil {
					errs = append(errs, fmt.Errorf("capture: restore fd %d: %w", fd, err))
				}
				if fd == 2 {
					debug.SetCrashOutput(nil, debug.CrashOptions{})
				}
			}
		case Variables:
			if fd == 1 {
				os.Stdout = c.original[0]
			} else {
				os.Stderr = c.original[1]
			}
			s.w.Close()
		}
		<-s.done
		s.r.Close()
	}
	if c.mode == Descriptors {
		for _, f := range c.original {
			if f != nil {
				f.Close()
			}
		}
	}
	return errors.Join(errs...)
}

// read passes what arrives on the pipe to emit until EOF, taking out flush
// markers and holding back what could be the start of a marker or of a
// UTF-8 sequence until the rest arrives.
func (s *stream) read() {
	defer close(s.done)
	buf := make([]byte, readSize)
	var pending []byte
	for {
		n, err := s.r.Read(buf)
		pending = append(pending, buf[:n]...)
		pending = s.deliver(pending, err != nil)
		if err != nil {
			if len(pending) > 0 {
				s.emit(s.name, string(pending))
			}
			if !errors.Is(err, io.EOF) && !errors.Is(err, os.ErrClosed) {
				s.emit(s.name, fmt.Sprintf("capture: reading %s: %v\n", s.name, err))
			}
			return
		}
	}
}

// deliver emits the complete part of data and returns what must wait.
func (s *stream) deliver(data []byte, final bool) []byte {
	for {
		i := bytes.Index(data, s.marker)
		if i < 0 {
			break
		}
		if i > 0 {
			s.emit(s.name, string(data[:i]))
		}
		data = data[i+len(s.marker):]
		s.seen <- struct{}{}
	}
	if final {
		return data
	}
	keep := markerPrefixAtEnd(data, s.marker)
	if keep == 0 {
		keep = incompleteUTF8(data)
	}
	if out := data[:len(data)-keep]; len(out) > 0 {
		s.emit(s.name, string(out))
	}
	return append([]byte(nil), data[len(data)-keep:]...)
}

// markerPrefixAtEnd returns the length of the longest suffix of data that
// is a proper prefix of marker.
func markerPrefixAtEnd(data, marker []byte) int {
	for n := min(len(marker)-1, len(data)); n > 0; n-- {
		if bytes.HasSuffix(data, marker[:n]) {
			return n
		}
	}
	return 0
}

// incompleteUTF8 returns how many bytes at the end of data start a UTF-8
// sequence that is not complete yet.
func incompleteUTF8(data []byte) int {
	for n := 1; n <= utf8.UTFMax-1 && n <= len(data); n++ {
		b := data[len(data)-n]
		if utf8.RuneStart(b) {
			if !utf8.FullRune(data[len(data)-n:]) {
				return n
			}
			return 0
		}
	}
	return 0
}
