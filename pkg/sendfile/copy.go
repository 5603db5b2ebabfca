package sendfile

import (
	"cmp"
	"errors"
	"fmt"
	"github.com/sockbook/sockbook/pkg/ioacct"
	"io"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// DefaultChunk is the byte count a Copier asks of each system call when its
// Chunk is 0. The kernel moves at most about 2 GiB per call whatever the
// count, so larger chunks only save calls.
const DefaultChunk = 1 << 20

// ErrNotRegular is returned, wrapped with the file's name, when the source
// of a copy is not a regular file: sendfile and copy_file_range need a size
// and an offset to read from.
var ErrNotRegular = errors.New("not a regular file")

// A Copier copies a file's bytes with one Method. The zero Copier calls
// sendfile with DefaultChunk bytes per call.
type Copier struct {
	// Method is how the bytes move.
	Method Method
	// Chunk is the most bytes one sendfile, copy_file_range or read call
	// is asked for (the count argument; the cheat sheet uses 4096). 0
	// means DefaultChunk. IOCopy ignores it: io.Copy picks its own.
	Chunk int
}

// CopyFile copies the file at path src into a file at path dst, created or
// truncated, and returns what the copy took. A failed copy may leave part of
// dst behind.
func (c Copier) CopyFile(dst, src string) (Stats, error) {
	in, err := os.Open(src)
	if err != nil {
		return Stats{Method: c.Method}, fmt.Errorf("sendfile: %w", err)
	}
	defer in.Close()
	// Refuse a non-regular source, or the source itself as destination,
	// before dst is created or truncated.
	if _, err := regularSize(in); err != nil {
		return Stats{Method: c.Method}, err
	}
	if srcInfo, err := in.Stat(); err == nil {
		if dstInfo, err := os.Stat(dst); err == nil && os.SameFile(srcInfo, dstInfo) {
			return Stats{Method: c.Method}, fmt.Errorf("sendfile: destination %q is the source %q", dst, src)
		}
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o666)
	if err != nil {
		return Stats{Method: c.Method}, fmt.Errorf("sendfile: %w", err)
	}
	st, err := c.Copy(out, in)
	if cerr := out.Close(); cerr != nil && err == nil {
		err = fmt.Errorf("sendfile: %w", cerr)
	}
	return st, err
}

// Copy copies all of src, from its first byte whatever its offset, into dst
// at dst's offset, and returns what the copy took.
//
// src must be a regular file. Its size is taken once, when the copy starts:
// bytes appended later are not copied, and a src that turns out shorter is
// an error wrapping io.ErrUnexpectedEOF. dst may be a regular file, or, for
// Sendfile, ReadWrite and IOCopy, a pipe; CopyFileRange falls back to
// Sendfile where the kernel will not copy_file_range into dst. Afterwards
// src's offset is unspecified.
func (c Copier) Copy(dst, src *os.File) (Stats, error) {
	out, err := dst.SyscallConn()
	if err != nil {
		return Stats{Method: c.Method}, fmt.Errorf("sendfile: destination %q: %w", dst.Name(), err)
	}
	st, err := c.transfer(out, dst, src)
	if err != nil {
		return st, fmt.Errorf("sendfile: copy %q to %q with %v: %w", src.Name(), dst.Name(), st.Method, err)
	}
	return st, nil
}

// transfer moves all of src into the descriptor behind out (w is the same
// destination as an io.Writer, for the methods that need one), counting the
// system calls on the way.
func (c Copier) transfer(out syscall.RawConn, w io.Writer, src *os.File) (Stats, error) {
	st := Stats{Method: c.Method}
	chunk := cmp.Or(c.Chunk, DefaultChunk)
	if chunk < 0 {
		return st, fmt.Errorf("chunk %d: must not be negative", c.Chunk)
	}
	if c.Method < Sendfile || c.Method > ReadWrite {
		return st, fmt.Errorf("unknown method %v", c.Method)
	}
	size, err := regularSize(src)
	if err != nil {
		return st, err
	}
	st.Kernel, err = ioacct.Count(func() error {
		var off int64
		switch c.Method {
		case Sendfile:
			return sendfileRange(out, src, &off, size, chunk, &st)
		case CopyFileRange:
			return copyFileRange(out, src, &off, size, chunk, &st)
		case IOCopy:
			return ioCopy(w, src, size, &st)
		default:
			return readWrite(w, src, size, chunk, &st)
		}
	})
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = fmt.Errorf("source %q ended after %d of the %d bytes it had when the copy began: %w",
			src.Name(), st.Bytes, size, err)
	}
	return st, err
}

// regularSize returns the size of f, or an error if f is not a regular file.
func regularSize(f *os.File) (int64, error) {
	fi, err := f.Stat()
	if err != nil {
		return 0, fmt.Errorf("sendfile: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return 0, fmt.Errorf("sendfile: source %q is %s: %w", f.Name(), kind(fi.Mode()), ErrNotRegular)
	}
	return fi.Size(), nil
}

// kind names the type of file m describes, for error messages.
func kind(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&os.ModeNamedPipe != 0:
		return "a pipe"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m&os.ModeCharDevice != 0:
		return "a character device"
	case m&os.ModeDevice != 0:
		return "a block device"
	}
	return "not a plain file"
}

// withFDs calls step with the descriptors of src and of the destination
// behind out until step reports it is done. When step returns false the
// destination was not ready (EAGAIN), and RawConn.Write parks the goroutine
// in the runtime's poller until it is; that is how a non-blocking socket
// or pipe is waited for without switching it to blocking mode.
func withFDs(out syscall.RawConn, src *os.File, step func(outfd, infd int) (done bool)) error {
	in, err := src.SyscallConn()
	if err != nil {
		return err
	}
	var werr error
	cerr := in.Control(func(infd uintptr) {
		werr = out.Write(func(outfd uintptr) bool { return step(int(outfd), int(infd)) })
	})
	return cmp.Or(cerr, werr)
}

// sendfileRange moves src's bytes from *off up to size with sendfile(2).
// The kernel advances *off by what each call moved, so short counts (a
// socket buffer filling up) need no bookkeeping beyond calling again.
func sendfileRange(out syscall.RawConn, src *os.File, off *int64, size int64, chunk int, st *Stats) error {
	return moveRange(out, src, off, size, chunk, st, "sendfile", sendfile)
}

// moveRange moves src's bytes from *off up to size, at most chunk bytes a
// call of move, the system call named name: sendfile or copy_file_range,
// which both advance *off by what they moved. It waits in the poller when
// the destination is full and counts in st what each call did.
func moveRange(out syscall.RawConn, src *os.File, off *int64, size int64, chunk int, st *Stats,
	name string, move func(outfd, infd int, off *int64, n int) (int, error)) error {
	var opErr error
	err := withFDs(out, src, func(outfd, infd int) bool {
		for *off < size {
			n, err := move(outfd, infd, off, int(min(int64(chunk), size-*off)))
			switch {
			case err == unix.EINTR:
				st.Retries++
			case err == unix.EAGAIN:
				st.Retries++
				return false
			case err != nil:
				opErr = os.NewSyscallError(name, err)
				return true
			case n == 0:
				// Zero before size: the file shrank under us.
				opErr = io.ErrUnexpectedEOF
				return true
			default:
				st.record(n)
			}
		}
		return true
	})
	return cmp.Or(opErr, err)
}

// ioCopy lets io.Copy move size bytes of src to w. The io.LimitedReader
// keeps the copy to size bytes; the fast paths of *os.File and
// *net.TCPConn look through it.
func ioCopy(w io.Writer, src *os.File, size int64, st *Stats) error {
	if _, err := src.Seek(0, io.SeekStart); err != nil {
		return err
	}
	n, err := io.Copy(w, io.LimitReader(src, size))
	st.Bytes = n
	if err == nil && n < size {
		err = io.ErrUnexpectedEOF
	}
	return err
}

// readWrite is the baseline: pread into a buffer, write it out, repeat.
func readWrite(w io.Writer, src *os.File, size int64, chunk int, st *Stats) error {
	buf := make([]byte, min(int64(chunk), max(size, 1)))
	var off int64
	for off < size {
		n, err := src.ReadAt(buf[:min(int64(len(buf)), size-off)], off)
		if n > 0 {
			if _, werr := w.Write(buf[:n]); werr != nil {
				return werr
			}
			st.record(n)
			off += int64(n)
		}
		if err == io.EOF && off < size {
			return io.ErrUnexpectedEOF
		}
		if err != nil && err != io.EOF {
			return err
		}
	}
	return nil
}
